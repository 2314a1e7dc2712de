import { MigrationInterface, QueryRunner } from 'typeorm';

/** Balances with their ledger, the catalog with per-option stock, and carts. */
export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_accounts (
        id          bigint PRIMARY KEY CHECK (id > 0),
        balance     bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE balance_logs (
        id             bigserial PRIMARY KEY,
        user_id        bigint NOT NULL REFERENCES user_accounts (id),
        type           varchar(10) NOT NULL CHECK (type IN ('CHARGE', 'USE', 'REFUND')),
        amount         bigint NOT NULL CHECK (amount > 0),
        balance_after  bigint NOT NULL CHECK (balance_after >= 0),
        order_id       bigint,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((type = 'CHARGE') = (order_id IS NULL))
      )`);
    await q.query(`CREATE INDEX balance_logs_user_newest ON balance_logs (user_id, id DESC)`);
    // The last line of defence against charging one order twice, whatever the code above it does.
    await q.query(`CREATE UNIQUE INDEX balance_logs_one_use_per_order ON balance_logs (order_id) WHERE type = 'USE'`);

    await q.query(`
      CREATE TABLE products (
        id          bigserial PRIMARY KEY,
        name        varchar(200) NOT NULL,
        price       bigint NOT NULL CHECK (price >= 0),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE product_options (
        id          bigserial PRIMARY KEY,
        product_id  bigint NOT NULL REFERENCES products (id),
        name        varchar(100) NOT NULL,
        on_hand     integer NOT NULL CHECK (on_hand >= 0),
        reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX product_options_product ON product_options (product_id, id)`);

    await q.query(`
      CREATE TABLE cart_items (
        id                 bigserial PRIMARY KEY,
        user_id            bigint NOT NULL,
        product_option_id  bigint NOT NULL REFERENCES product_options (id),
        quantity           integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, product_option_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE cart_items');
    await q.query('DROP TABLE product_options');
    await q.query('DROP TABLE products');
    await q.query('DROP TABLE balance_logs');
    await q.query('DROP TABLE user_accounts');
  }
}
