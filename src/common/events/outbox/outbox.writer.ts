import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import { OutboxConsumers } from './outbox-consumers';

export interface OutboxEvent {
  eventType: string;
  aggregateId: number;
  payload: object;
}

/**
 * Records after-commit events in the caller's transaction: one row per event and consumer,
 * existing if and only if the state change it describes committed, so a crash can neither
 * lose an event nor invent one. All rows of one event share its eventId.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly sql: Sql,
    private readonly consumers: OutboxConsumers,
  ) {}

  async add(eventType: string, aggregateId: number, payload: object): Promise<string> {
    const [eventId] = await this.addMany([{ eventType, aggregateId, payload }]);
    return eventId;
  }

  /** One statement for a whole batch (an expiry sweep writes hundreds at once). */
  async addMany(events: OutboxEvent[]): Promise<string[]> {
    const eventIds = events.map(() => randomUUID());
    const rows = events.flatMap((event, i) =>
      this.consumers.consumersOf(event.eventType).map((consumer) => ({
        eventId: eventIds[i],
        consumer,
        event,
        payload: JSON.stringify({ eventId: eventIds[i], ...event.payload }),
      })),
    );
    if (rows.length === 0) return eventIds;
    await this.sql.rows(
      `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::bigint[], $5::jsonb[])`,
      [rows.map((r) => r.eventId), rows.map((r) => r.consumer), rows.map((r) => r.event.eventType), rows.map((r) => r.event.aggregateId), rows.map((r) => r.payload)],
    );
    return eventIds;
  }
}
