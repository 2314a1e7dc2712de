import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Card payments through a payment gateway: an order may have several attempts (a declined card,
 * then another), each recorded before the gateway is called, with the key it is called with.
 * At most one attempt of an order is PROCESSING or COMPLETED at a time. A coupon is HELD by an
 * order while its card payment is with the gateway.
 */
export class CardPayments1764200000000 implements MigrationInterface {
  name = 'CardPayments1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_order_id_key`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_method_check`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_status_check`);
    await q.query(`ALTER TABLE payments ALTER COLUMN status TYPE varchar(16)`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_method_check CHECK (method IN ('BALANCE', 'CARD'))`);
    await q.query(`
      ALTER TABLE payments ADD CONSTRAINT payments_status_check
        CHECK (status IN ('PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CANCEL_FAILED'))`);
    await q.query(`
      ALTER TABLE payments
        ADD COLUMN payment_key         varchar(200),
        ADD COLUMN gateway_key         uuid,
        ADD COLUMN approval_number     varchar(64),
        ADD COLUMN failure_code        varchar(64),
        ADD COLUMN completed_at        timestamptz,
        ADD COLUMN ended_at            timestamptz,
        ADD COLUMN outcome_unknown_at  timestamptz,
        ADD COLUMN reconcile_after     timestamptz,
        ADD COLUMN cancel_requested_at timestamptz,
        ADD CONSTRAINT payments_card_fields CHECK ((method = 'CARD') = (payment_key IS NOT NULL AND gateway_key IS NOT NULL))`);
    await q.query(`UPDATE payments SET completed_at = created_at, ended_at = created_at WHERE status = 'COMPLETED'`);
    await q.query(`CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id) WHERE status IN ('PROCESSING', 'COMPLETED')`);
    await q.query(`CREATE INDEX payments_order ON payments (order_id, id)`);
    // What the reconciler looks for: attempts still with the gateway, and failed ones it keeps watching.
    await q.query(`CREATE INDEX payments_processing ON payments (created_at) WHERE status = 'PROCESSING'`);
    await q.query(`CREATE INDEX payments_watched ON payments (ended_at) WHERE status = 'FAILED' AND outcome_unknown_at IS NOT NULL AND cancel_requested_at IS NULL`);

    await q.query(`ALTER TABLE user_coupons DROP CONSTRAINT user_coupons_status_check`);
    await q.query(`ALTER TABLE user_coupons DROP CONSTRAINT user_coupons_check`);
    await q.query(`ALTER TABLE user_coupons ADD CONSTRAINT user_coupons_status_check CHECK (status IN ('AVAILABLE', 'HELD', 'USED'))`);
    await q.query(`ALTER TABLE user_coupons ADD CONSTRAINT user_coupons_order_check CHECK ((status IN ('HELD', 'USED')) = (used_order_id IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE user_coupons DROP CONSTRAINT user_coupons_order_check`);
    await q.query(`ALTER TABLE user_coupons DROP CONSTRAINT user_coupons_status_check`);
    await q.query(`UPDATE user_coupons SET status = 'AVAILABLE', used_order_id = NULL WHERE status = 'HELD'`);
    await q.query(`ALTER TABLE user_coupons ADD CONSTRAINT user_coupons_status_check CHECK (status IN ('AVAILABLE', 'USED'))`);
    await q.query(`ALTER TABLE user_coupons ADD CONSTRAINT user_coupons_check CHECK ((status = 'USED') = (used_order_id IS NOT NULL))`);
    await q.query(`DROP INDEX payments_watched`);
    await q.query(`DROP INDEX payments_processing`);
    await q.query(`DROP INDEX payments_order`);
    await q.query(`DROP INDEX payments_one_live_per_order`);
    await q.query(`DELETE FROM payments WHERE method = 'CARD'`);
    await q.query(`
      ALTER TABLE payments DROP CONSTRAINT payments_card_fields,
        DROP COLUMN payment_key, DROP COLUMN gateway_key, DROP COLUMN approval_number, DROP COLUMN failure_code,
        DROP COLUMN completed_at, DROP COLUMN ended_at, DROP COLUMN outcome_unknown_at, DROP COLUMN reconcile_after,
        DROP COLUMN cancel_requested_at`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_status_check`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_method_check`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('COMPLETED'))`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_method_check CHECK (method IN ('BALANCE'))`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_order_id_key UNIQUE (order_id)`);
  }
}
