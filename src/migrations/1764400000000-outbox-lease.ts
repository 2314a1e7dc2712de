import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A relay's lease on an outbox row gets a column of its own, in no index: claiming a row then
 * changes no indexed column, so Postgres can update it in place (a HOT update, no index entry
 * written) when the page has room, which the lower fillfactor leaves. Every payment writes
 * several outbox rows, so this is most of what relaying costs Postgres.
 */
export class OutboxLease1764400000000 implements MigrationInterface {
  name = 'OutboxLease1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events ADD COLUMN leased_until timestamptz`);
    await q.query(`ALTER TABLE outbox_events SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events RESET (fillfactor)`);
    await q.query(`ALTER TABLE outbox_events DROP COLUMN leased_until`);
  }
}
