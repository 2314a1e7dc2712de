import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import type { SaleLine } from './sales-ranking.store';

/**
 * What was sold on a shop day, read from Postgres. The source is this consumer's own
 * order.processed outbox rows: each is written in the very transaction that marks its order
 * PAID (so the set is exactly the paid orders), and it keeps the ranking independent of the
 * order module's tables. Outbox rows of the sales-ranking consumer must therefore be kept for
 * at least the 30-day ranking window.
 */
@Injectable()
export class PaidSalesRepository {
  constructor(private readonly sql: Sql) {}

  async soldOn(day: string, timeZone: string): Promise<SaleLine[]> {
    return this.sql.rows<SaleLine>(
      `SELECT (e.payload->>'orderId')::bigint AS "orderId", (i->>'productId')::bigint AS "productId", (i->>'quantity')::int AS quantity
       FROM outbox_events e, jsonb_array_elements(e.payload->'items') i
       WHERE e.consumer = 'sales-ranking' AND e.event_type = 'order.processed'
         AND e.created_at >= ($1::date)::timestamp AT TIME ZONE $2
         AND e.created_at < ($1::date + 1)::timestamp AT TIME ZONE $2`,
      [day, timeZone],
    );
  }
}
