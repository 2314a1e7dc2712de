import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';

/**
 * Records an after-commit event in the caller's transaction: it exists if and only if the
 * state change it describes committed, so a crash can neither lose it nor invent it.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly sql: Sql) {}

  async add(eventType: string, aggregateId: number, payload: object): Promise<string> {
    const eventId = randomUUID();
    await this.sql.rows(
      'INSERT INTO outbox_events (event_id, event_type, aggregate_id, payload) VALUES ($1, $2, $3, $4)',
      [eventId, eventType, aggregateId, JSON.stringify({ eventId, ...payload })],
    );
    return eventId;
  }
}
