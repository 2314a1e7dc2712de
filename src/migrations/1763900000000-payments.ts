import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments, idempotency keys, and one outbox row per (event, consumer) so that each async
 * consumer retries and dead-letters on its own: a failing export never replays the ranking.
 */
export class Payments1763900000000 implements MigrationInterface {
  name = 'Payments1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payments (
        id          bigserial PRIMARY KEY,
        order_id    bigint NOT NULL UNIQUE REFERENCES orders (id),
        user_id     bigint NOT NULL,
        amount      bigint NOT NULL CHECK (amount >= 0),
        method      varchar(10) NOT NULL CHECK (method IN ('BALANCE')),
        status      varchar(10) NOT NULL CHECK (status IN ('COMPLETED')),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payments_user ON payments (user_id, id)`);
    await q.query(`CREATE INDEX orders_paid_at ON orders (paid_at) WHERE status = 'PAID'`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id          bigint NOT NULL,
        key              varchar(255) NOT NULL,
        fingerprint      char(64) NOT NULL,
        status           varchar(12) NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED')),
        response_status  integer,
        response_body    jsonb,
        locked_until     timestamptz NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`);

    await q.query(`ALTER TABLE outbox_events ADD COLUMN consumer varchar(64) NOT NULL DEFAULT 'data-platform-export'`);
    await q.query(`ALTER TABLE outbox_events ALTER COLUMN consumer DROP DEFAULT`);
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_event_id_key`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_event_consumer UNIQUE (event_id, consumer)`);
    await q.query(`CREATE INDEX outbox_events_dead ON outbox_events (id) WHERE status = 'DEAD'`);
    await q.query(`CREATE INDEX outbox_events_consumer_created ON outbox_events (consumer, event_type, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_events_consumer_created');
    await q.query('DROP INDEX outbox_events_dead');
    await q.query('ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_event_consumer');
    await q.query('ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_event_id_key UNIQUE (event_id)');
    await q.query('ALTER TABLE outbox_events DROP COLUMN consumer');
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP INDEX orders_paid_at');
    await q.query('DROP TABLE payments');
  }
}
