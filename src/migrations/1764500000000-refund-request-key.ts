import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A card refund spans three transactions, and the Idempotency-Key's claim lasts one: the key a
 * refund was requested with is kept on it, so a retry while the gateway is asked (or after a
 * crash) finds that refund instead of holding more units for a second one.
 */
export class RefundRequestKey1764500000000 implements MigrationInterface {
  name = 'RefundRequestKey1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refunds ADD COLUMN request_key varchar(300)`);
    await q.query(`CREATE UNIQUE INDEX refunds_request_key ON refunds (order_id, request_key) WHERE request_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refunds_request_key`);
    await q.query(`ALTER TABLE refunds DROP COLUMN request_key`);
  }
}
