import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';

/**
 * Read access to a consumer's own past events, for a consumer that rebuilds state from them.
 * Only rows kept by the consumer's declared retention can be read back.
 */
@Injectable()
export class OutboxHistory {
  constructor(private readonly sql: Sql) {}

  /** The payloads of `eventType` for `consumer` recorded on calendar day `day` (YYYY-MM-DD) in `timeZone`. */
  async recordedOn<T>(consumer: string, eventType: string, day: string, timeZone: string): Promise<T[]> {
    const rows = await this.sql.rows<{ payload: T }>(
      `SELECT payload FROM outbox_events
       WHERE consumer = $1 AND event_type = $2
         AND created_at >= ($3::date)::timestamp AT TIME ZONE $4
         AND created_at < ($3::date + 1)::timestamp AT TIME ZONE $4
       ORDER BY id`,
      [consumer, eventType, day, timeZone],
    );
    return rows.map((r) => r.payload);
  }

  /** The payloads of `eventType` for `consumer` about any of these aggregates (orders), whenever recorded. */
  async recordedFor<T>(consumer: string, eventType: string, aggregateIds: number[]): Promise<T[]> {
    if (aggregateIds.length === 0) return [];
    const rows = await this.sql.rows<{ payload: T }>(
      `SELECT payload FROM outbox_events WHERE consumer = $1 AND event_type = $2 AND aggregate_id = ANY($3::bigint[]) ORDER BY id`,
      [consumer, eventType, aggregateIds],
    );
    return rows.map((r) => r.payload);
  }
}
