import { MigrationInterface, QueryRunner } from 'typeorm';

/** PAYING: an order whose card payment is with the gateway; it can be neither cancelled, paid again nor expire meanwhile. */
export class OrderPaying1764100000000 implements MigrationInterface {
  name = 'OrderPaying1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('PENDING', 'PAYING', 'PAID', 'CANCELLED', 'EXPIRED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('PENDING', 'PAID', 'CANCELLED', 'EXPIRED'))`);
  }
}
