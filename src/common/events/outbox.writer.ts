import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';

export interface OutboxEvent {
  eventType: string;
  aggregateId: number;
  payload: object;
}

/**
 * Records an after-commit event in the caller's transaction: it exists if and only if the
 * state change it describes committed, so a crash can neither lose it nor invent it.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly sql: Sql) {}

  async add(eventType: string, aggregateId: number, payload: object): Promise<string> {
    const [eventId] = await this.addMany([{ eventType, aggregateId, payload }]);
    return eventId;
  }

  /** One statement for a whole batch (an expiry sweep writes hundreds at once). */
  async addMany(events: OutboxEvent[]): Promise<string[]> {
    const eventIds = events.map(() => randomUUID());
    await this.sql.rows(
      `INSERT INTO outbox_events (event_id, event_type, aggregate_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::jsonb[])`,
      [
        eventIds,
        events.map((e) => e.eventType),
        events.map((e) => e.aggregateId),
        events.map((e, i) => JSON.stringify({ eventId: eventIds[i], ...e.payload })),
      ],
    );
    return eventIds;
  }
}
