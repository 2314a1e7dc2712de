import { PurgeDeliveredOutboxJob } from '../../src/common/events/outbox/purge-delivered-outbox.job';
import { createTestApp, TestApp } from '../support/test-app';

describe('outbox retention (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { OUTBOX_POLL_INTERVAL_MS: '0', OUTBOX_RETENTION_DAYS: '7' } });
  });
  afterAll(() => t.close());

  const row = (consumer: string, status: string, deliveredDaysAgo: number | null) =>
    t.db.query(
      `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, status, delivered_at)
       VALUES (gen_random_uuid(), $1, 'order.processed', 1, '{}', $2, CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END)
       RETURNING id, consumer, status`,
      [consumer, status, deliveredDaysAgo],
    );

  it('deletes delivered rows past retention, keeps the ranking source 31 days, never touches PENDING or DEAD', async () => {
    const kept = [
      ...(await row('data-platform-export', 'DELIVERED', 2)),
      ...(await row('sales-ranking', 'DELIVERED', 20)),
      ...(await row('data-platform-export', 'PENDING', null)),
      ...(await row('data-platform-export', 'DEAD', null)),
    ];
    await row('data-platform-export', 'DELIVERED', 8);
    await row('order-completed-push', 'DELIVERED', 30);
    await row('sales-ranking', 'DELIVERED', 40);

    expect(await t.app.get(PurgeDeliveredOutboxJob).purge()).toBe(3);
    const left = await t.db.query('SELECT id, consumer, status FROM outbox_events ORDER BY id');
    expect(left).toEqual(kept);
  });
});
