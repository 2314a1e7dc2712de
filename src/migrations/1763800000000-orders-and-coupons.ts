import { MigrationInterface, QueryRunner } from 'typeorm';

/** Coupon campaigns and issued coupons, orders with their items, and the transactional outbox. */
export class OrdersAndCoupons1763800000000 implements MigrationInterface {
  name = 'OrdersAndCoupons1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE coupons (
        id               bigserial PRIMARY KEY,
        name             varchar(200) NOT NULL,
        discount_type    varchar(5) NOT NULL CHECK (discount_type IN ('FIXED', 'RATE')),
        discount_value   bigint NOT NULL CHECK (discount_value > 0 AND (discount_type = 'FIXED' OR discount_value <= 100)),
        total_quantity   integer NOT NULL CHECK (total_quantity > 0),
        issued_quantity  integer NOT NULL DEFAULT 0 CHECK (issued_quantity >= 0 AND issued_quantity <= total_quantity),
        expires_at       timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE user_coupons (
        id             bigserial PRIMARY KEY,
        coupon_id      bigint NOT NULL REFERENCES coupons (id),
        user_id        bigint NOT NULL,
        status         varchar(10) NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE', 'USED')),
        used_order_id  bigint,
        issued_at      timestamptz NOT NULL DEFAULT now(),
        used_at        timestamptz,
        UNIQUE (coupon_id, user_id),
        CHECK ((status = 'USED') = (used_order_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX user_coupons_user ON user_coupons (user_id, id)`);

    await q.query(`
      CREATE TABLE orders (
        id               bigserial PRIMARY KEY,
        user_id          bigint NOT NULL,
        status           varchar(10) NOT NULL CHECK (status IN ('PENDING', 'PAID', 'CANCELLED', 'EXPIRED')),
        user_coupon_id   bigint,
        original_amount  bigint NOT NULL CHECK (original_amount >= 0),
        discount_amount  bigint NOT NULL CHECK (discount_amount >= 0 AND discount_amount <= original_amount),
        final_amount     bigint NOT NULL CHECK (final_amount = original_amount - discount_amount),
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL,
        paid_at          timestamptz,
        closed_at        timestamptz,
        CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX orders_user_newest ON orders (user_id, id DESC)`);
    await q.query(`CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE TABLE order_items (
        id                 bigserial PRIMARY KEY,
        order_id           bigint NOT NULL REFERENCES orders (id),
        product_id         bigint NOT NULL,
        product_option_id  bigint NOT NULL,
        quantity           integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
        unit_price         bigint NOT NULL CHECK (unit_price >= 0),
        UNIQUE (order_id, product_option_id)
      )`);

    await q.query(`
      CREATE TABLE outbox_events (
        id               bigserial PRIMARY KEY,
        event_id         uuid NOT NULL UNIQUE,
        event_type       varchar(64) NOT NULL,
        aggregate_id     bigint NOT NULL,
        payload          jsonb NOT NULL,
        status           varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        delivered_at     timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at, id) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox_events', 'order_items', 'orders', 'user_coupons', 'coupons']) await q.query(`DROP TABLE ${table}`);
  }
}
