import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's open orders are counted on every order placed (MAX_OPEN_ORDERS_PER_USER): a partial
 * index holds just those. The catalog's size is kept in a one-row counter, written in the
 * transaction that adds a product (products are never deleted), so that a public page of
 * GET /products does not count the whole table.
 */
export class OpenOrdersAndCatalogTotal1764250000000 implements MigrationInterface {
  name = 'OpenOrdersAndCatalogTotal1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX orders_user_open ON orders (user_id) WHERE status IN ('PENDING', 'PAYING')`);
    await q.query(`
      CREATE TABLE catalog_totals (
        id        boolean PRIMARY KEY DEFAULT true CHECK (id),
        products  bigint NOT NULL CHECK (products >= 0)
      )`);
    await q.query(`INSERT INTO catalog_totals (products) SELECT count(*) FROM products`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalog_totals');
    await q.query('DROP INDEX orders_user_open');
  }
}
