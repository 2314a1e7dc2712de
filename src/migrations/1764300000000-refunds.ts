import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds: whole or in part, per unit. Each order line counts the units refunded and the units
 * a PROCESSING refund holds, and the won they returned or hold, so that concurrent refunds can
 * never return more than was paid (a CHECK and a guarded UPDATE, not a read-then-write).
 */
export class Refunds1764300000000 implements MigrationInterface {
  name = 'Refunds1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ALTER COLUMN status TYPE varchar(20)`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await dropPaidCheck(q);
    await q.query(`
      ALTER TABLE orders
        ADD CONSTRAINT orders_status_check
          CHECK (status IN ('PENDING', 'PAYING', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'CANCELLED', 'EXPIRED')),
        ADD CONSTRAINT orders_paid_check CHECK ((status IN ('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED')) = (paid_at IS NOT NULL)),
        ADD COLUMN refunded_amount bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT orders_refunded_check CHECK (refunded_amount BETWEEN 0 AND final_amount)`);
    await q.query(`
      ALTER TABLE order_items
        ADD COLUMN refunded_quantity integer NOT NULL DEFAULT 0,
        ADD COLUMN refunding_quantity integer NOT NULL DEFAULT 0,
        ADD COLUMN refunded_amount bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT order_items_refund_check
          CHECK (refunded_quantity >= 0 AND refunding_quantity >= 0 AND refunded_quantity + refunding_quantity <= quantity AND refunded_amount >= 0)`);

    await q.query(`
      CREATE TABLE refunds (
        id            bigserial PRIMARY KEY,
        order_id      bigint NOT NULL REFERENCES orders (id),
        payment_id    bigint NOT NULL REFERENCES payments (id),
        method        varchar(10) NOT NULL CHECK (method IN ('BALANCE', 'CARD')),
        amount        bigint NOT NULL CHECK (amount >= 0),
        reason        varchar(200) NOT NULL,
        restock       boolean NOT NULL,
        status        varchar(16) NOT NULL CHECK (status IN ('PROCESSING', 'COMPLETED', 'CANCEL_FAILED')),
        created_at    timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz,
        ended_at      timestamptz,
        CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX refunds_order ON refunds (order_id, id)`);
    await q.query(`
      CREATE TABLE refund_items (
        refund_id          bigint NOT NULL REFERENCES refunds (id),
        product_id         bigint NOT NULL,
        product_option_id  bigint NOT NULL,
        quantity           integer NOT NULL CHECK (quantity >= 1),
        amount             bigint NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (refund_id, product_option_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refund_items`);
    await q.query(`DROP TABLE refunds`);
    await q.query(`
      ALTER TABLE order_items DROP CONSTRAINT order_items_refund_check,
        DROP COLUMN refunded_quantity, DROP COLUMN refunding_quantity, DROP COLUMN refunded_amount`);
    await q.query(`UPDATE orders SET status = 'PAID' WHERE status IN ('PARTIALLY_REFUNDED', 'REFUNDED')`);
    await q.query(`
      ALTER TABLE orders DROP CONSTRAINT orders_refunded_check, DROP COLUMN refunded_amount,
        DROP CONSTRAINT orders_paid_check, DROP CONSTRAINT orders_status_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('PENDING', 'PAYING', 'PAID', 'CANCELLED', 'EXPIRED'))`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_paid_check CHECK ((status = 'PAID') = (paid_at IS NOT NULL))`);
    await q.query(`ALTER TABLE orders ALTER COLUMN status TYPE varchar(10)`);
  }
}

/** The unnamed "paid iff paid_at" check of the first orders migration: Postgres named it by position, so it is found by what it says. */
async function dropPaidCheck(q: QueryRunner): Promise<void> {
  const [found] = (await q.query(
    `SELECT conname FROM pg_constraint
     WHERE conrelid = 'orders'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%paid_at IS NOT NULL%'`,
  )) as { conname: string }[];
  await q.query(`ALTER TABLE orders DROP CONSTRAINT "${found.conname}"`);
}
