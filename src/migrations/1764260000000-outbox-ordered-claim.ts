import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serves the relay's "is an earlier row of this aggregate still undelivered for this consumer?"
 * probe (consumers ordered by aggregate). Partial: only undelivered rows, a few per aggregate
 * at most, so it stays small however long delivered rows are kept.
 */
export class OutboxOrderedClaim1764260000000 implements MigrationInterface {
  name = 'OutboxOrderedClaim1764260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_events_undelivered_by_aggregate ON outbox_events (consumer, aggregate_id, id) WHERE status <> 'DELIVERED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_events_undelivered_by_aggregate');
  }
}
