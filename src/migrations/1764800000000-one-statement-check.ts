import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shop_check(ok, part)`: true, or an error with SQLSTATE SHOP1 naming the part. A statement of
 * several parts (src/common/database/one-statement.ts) calls it on each part's check, so that a
 * part that did not do its work aborts the whole statement and nothing of it commits.
 */
export class OneStatementCheck1764800000000 implements MigrationInterface {
  name = 'OneStatementCheck1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION shop_check(ok boolean, part text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        IF ok IS NOT TRUE THEN
          RAISE EXCEPTION 'one statement: the check of % failed, nothing was written', part USING ERRCODE = 'SHOP1';
        END IF;
        RETURN true;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION shop_check(boolean, text)`);
  }
}
