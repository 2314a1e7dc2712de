import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Easy pay and virtual accounts (API.md "Gateway methods"): a payment records the method the
 * gateway's answer names; a virtual account's attempt waits for its deposit (AWAITING_DEPOSIT,
 * with the account, its secret and its due date), and so does its order, which holds its stock
 * and coupon until then. At most one attempt of an order is live: PROCESSING, AWAITING_DEPOSIT or COMPLETED.
 */
export class GatewayMethods1764700000000 implements MigrationInterface {
  name = 'GatewayMethods1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_method_check, DROP CONSTRAINT payments_status_check, DROP CONSTRAINT payments_card_fields`);
    await q.query(`ALTER TABLE payments ALTER COLUMN method TYPE varchar(20)`);
    await q.query(`
      ALTER TABLE payments
        ADD CONSTRAINT payments_method_check CHECK (method IN ('BALANCE', 'CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT')),
        ADD CONSTRAINT payments_status_check CHECK (status IN ('PROCESSING', 'AWAITING_DEPOSIT', 'COMPLETED', 'FAILED', 'CANCELLED', 'CANCEL_FAILED')),
        ADD CONSTRAINT payments_gateway_fields CHECK ((method <> 'BALANCE') = (payment_key IS NOT NULL AND gateway_key IS NOT NULL)),
        ADD COLUMN deposit_secret  varchar(200),
        ADD COLUMN deposit_due_at  timestamptz,
        ADD CONSTRAINT payments_awaiting_deposit CHECK (status <> 'AWAITING_DEPOSIT' OR (virtual_account IS NOT NULL AND deposit_due_at IS NOT NULL))`);
    await q.query(`DROP INDEX payments_one_live_per_order`);
    await q.query(`CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id) WHERE status IN ('PROCESSING', 'AWAITING_DEPOSIT', 'COMPLETED')`);
    await q.query(`CREATE INDEX payments_awaiting_deposit_due ON payments (deposit_due_at) WHERE status = 'AWAITING_DEPOSIT'`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await q.query(`
      ALTER TABLE orders ADD CONSTRAINT orders_status_check
        CHECK (status IN ('PENDING', 'PAYING', 'AWAITING_DEPOSIT', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'CANCELLED', 'EXPIRED'))`);
    await q.query(`ALTER TABLE refunds DROP CONSTRAINT refunds_method_check`);
    await q.query(`ALTER TABLE refunds ALTER COLUMN method TYPE varchar(20)`);
    await q.query(`ALTER TABLE refunds ADD CONSTRAINT refunds_method_check CHECK (method IN ('BALANCE', 'CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refunds DROP CONSTRAINT refunds_method_check`);
    await q.query(`ALTER TABLE refunds ADD CONSTRAINT refunds_method_check CHECK (method IN ('BALANCE', 'CARD'))`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await q.query(`
      ALTER TABLE orders ADD CONSTRAINT orders_status_check
        CHECK (status IN ('PENDING', 'PAYING', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'CANCELLED', 'EXPIRED'))`);
    await q.query(`DROP INDEX payments_awaiting_deposit_due`);
    await q.query(`DROP INDEX payments_one_live_per_order`);
    await q.query(`CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id) WHERE status IN ('PROCESSING', 'COMPLETED')`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_awaiting_deposit, DROP COLUMN deposit_due_at, DROP COLUMN deposit_secret`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_gateway_fields, DROP CONSTRAINT payments_status_check, DROP CONSTRAINT payments_method_check`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_method_check CHECK (method IN ('BALANCE', 'CARD'))`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CANCEL_FAILED'))`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_card_fields CHECK ((method = 'CARD') = (payment_key IS NOT NULL AND gateway_key IS NOT NULL))`);
  }
}
