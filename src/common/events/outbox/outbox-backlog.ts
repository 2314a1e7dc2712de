import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';

/** How far a consumer is behind, for the module that owns it to report as its lag. */
@Injectable()
export class OutboxBacklog {
  constructor(private readonly sql: Sql) {}

  /**
   * Age in seconds of the consumer's oldest undelivered event, whether due or backing off
   * (0 when none): unlike the relay's due-row lag, it keeps growing while a target is down.
   */
  async oldestUndeliveredAgeSeconds(consumer: string): Promise<number> {
    const row = await this.sql.one<{ age: number }>(
      `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
       FROM outbox_events WHERE consumer = $1 AND status <> 'DELIVERED'`,
      [consumer],
    );
    return row?.age ?? 0;
  }
}
