import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's word (API.md "Checkouts", "Webhooks", "Cancellations the shop did not make",
 * "Reconciliation"): a new gateway order id per checkout; the gateway's transaction key of each
 * approval and each cancel the shop made, so that its records can be matched with the gateway's
 * transaction list; cancels the shop did not make recorded as GATEWAY refunds, once per
 * transaction key; webhooks kept in an inbox, once per body; reconciliation reports.
 */
export class GatewayWord1764600000000 implements MigrationInterface {
  name = 'GatewayWord1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checkouts (
        id                bigserial PRIMARY KEY,
        order_id          bigint NOT NULL REFERENCES orders (id),
        user_id           bigint NOT NULL,
        gateway_order_id  varchar(64) NOT NULL UNIQUE CHECK (gateway_order_id ~ '^[A-Za-z0-9_-]{6,64}$'),
        method            varchar(20) NOT NULL CHECK (method IN ('CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT')),
        amount            bigint NOT NULL CHECK (amount >= 0),
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX checkouts_order ON checkouts (order_id, id)`);
    await q.query(`
      ALTER TABLE payments
        ADD COLUMN gateway_order_id        varchar(64),
        ADD COLUMN approval_key            varchar(64),
        ADD COLUMN cancel_transaction_key  varchar(64),
        ADD COLUMN cancelled_at            timestamptz,
        ADD COLUMN easy_pay_provider       varchar(64),
        ADD COLUMN virtual_account         jsonb`);
    await q.query(`UPDATE payments SET gateway_order_id = 'order-' || order_id WHERE method <> 'BALANCE'`);
    await q.query(`ALTER TABLE payments ADD CONSTRAINT payments_gateway_order CHECK ((method = 'BALANCE') = (gateway_order_id IS NULL))`);
    // Webhooks and the reconciliation find an attempt by the gateway's key of its charge.
    await q.query(`CREATE INDEX payments_payment_key ON payments (payment_key) WHERE payment_key IS NOT NULL`);
    await q.query(`CREATE INDEX payments_completed_at ON payments (completed_at) WHERE method <> 'BALANCE' AND completed_at IS NOT NULL`);
    await q.query(`CREATE INDEX payments_cancelled_at ON payments (cancelled_at) WHERE cancelled_at IS NOT NULL`);
    await q.query(`
      ALTER TABLE refunds
        ADD COLUMN source           varchar(10) NOT NULL DEFAULT 'SHOP' CHECK (source IN ('SHOP', 'GATEWAY')),
        ADD COLUMN transaction_key  varchar(64)`);
    await q.query(`CREATE UNIQUE INDEX refunds_transaction_key ON refunds (transaction_key) WHERE transaction_key IS NOT NULL`);
    await q.query(`CREATE INDEX refunds_completed_at ON refunds (completed_at) WHERE method <> 'BALANCE' AND completed_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE gateway_webhooks (
        id                bigserial PRIMARY KEY,
        dedupe_key        char(64) NOT NULL UNIQUE,
        kind              varchar(32) NOT NULL,
        payment_key       varchar(200),
        gateway_order_id  varchar(64),
        body              jsonb NOT NULL,
        result            varchar(32),
        received_at       timestamptz NOT NULL DEFAULT now(),
        processed_at      timestamptz
      )`);
    await q.query(`
      CREATE TABLE reconciliations (
        id                    bigserial PRIMARY KEY,
        window_from           timestamptz NOT NULL,
        window_to             timestamptz NOT NULL,
        scheduled_for         date UNIQUE,
        gateway_transactions  integer NOT NULL,
        matched               integer NOT NULL,
        matched_amount        bigint NOT NULL,
        mismatches            jsonb NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT now(),
        CHECK (window_from < window_to)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliations`);
    await q.query(`DROP TABLE gateway_webhooks`);
    await q.query(`DROP INDEX refunds_completed_at`);
    await q.query(`DROP INDEX refunds_transaction_key`);
    await q.query(`ALTER TABLE refunds DROP COLUMN transaction_key, DROP COLUMN source`);
    await q.query(`DROP INDEX payments_cancelled_at`);
    await q.query(`DROP INDEX payments_completed_at`);
    await q.query(`DROP INDEX payments_payment_key`);
    await q.query(`ALTER TABLE payments DROP CONSTRAINT payments_gateway_order`);
    await q.query(`ALTER TABLE payments DROP COLUMN virtual_account, DROP COLUMN easy_pay_provider, DROP COLUMN cancelled_at, DROP COLUMN cancel_transaction_key, DROP COLUMN approval_key, DROP COLUMN gateway_order_id`);
    await q.query(`DROP TABLE checkouts`);
  }
}
