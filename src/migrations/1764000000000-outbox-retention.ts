import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the retention purge find old DELIVERED outbox rows without scanning the table. */
export class OutboxRetention1764000000000 implements MigrationInterface {
  name = 'OutboxRetention1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_events_delivered_at ON outbox_events (delivered_at) WHERE status = 'DELIVERED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_events_delivered_at');
  }
}
