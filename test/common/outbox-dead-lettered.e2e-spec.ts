import { EventEmitter2 } from '@nestjs/event-emitter';
import { OutboxDeadLetteringEvent } from '../../src/common/events/outbox/outbox-dead-lettering.event';
import { OutboxRepository } from '../../src/common/events/outbox/outbox.repository';
import { until } from '../support/http';
import { Receiver } from '../support/receiver';
import { shop } from '../support/shop';
import { createTestApp, TestApp } from '../support/test-app';

describe('outbox.dead-lettered: a row goes DEAD together with what its listeners record (e2e)', () => {
  const receiver = new Receiver(() => 500);
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await receiver.up();
    t = await createTestApp({
      env: {
        OUTBOX_POLL_INTERVAL_MS: '50',
        OUTBOX_BACKOFF_BASE_MS: '50',
        OUTBOX_BACKOFF_MAX_MS: '100',
        OUTBOX_MAX_ATTEMPTS: '2',
        // A dead-lettering that rolled back is tried again once its claim's lease runs out.
        OUTBOX_LEASE_MS: '1000',
        DATA_PLATFORM_URL: receiver.url,
      },
    });
    s = shop(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.down();
  });

  const rows = (status: string, eventType: string) =>
    t.db.query(`SELECT id, payload FROM outbox_events WHERE status = $1 AND event_type = $2 ORDER BY id`, [status, eventType]) as Promise<
      { id: number; payload: Record<string, unknown> }[]
    >;

  it('while a listener fails to record the dead letter, the row is not DEAD (nothing half done); then DEAD once, with the alert', async () => {
    const heard: OutboxDeadLetteringEvent[] = [];
    let failing = true;
    t.app.get(EventEmitter2).on(OutboxDeadLetteringEvent.NAME, async (event: OutboxDeadLetteringEvent) => {
      if (failing) return { ok: false, error: new Error('could not record the dead letter') };
      heard.push(event);
      return { ok: true };
    });

    const p = await s.product(1_000, [10]);
    await s.charge(3, 1_000);
    const order = (await s.order(3, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await s.pay(3, order.id).expect(201);

    await until(() => receiver.requests >= 2, 5_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await rows('DEAD', 'order.processed')).toEqual([]);
    expect(await rows('PENDING', 'alert.raised')).toEqual([]);
    expect(await rows('DELIVERED', 'alert.raised')).toEqual([]);

    failing = false;
    await until(async () => (await rows('DEAD', 'order.processed')).length === 1, 10_000);
    const [dead] = await rows('DEAD', 'order.processed');
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      outboxId: dead.id,
      outboxEventId: dead.payload.eventId,
      eventType: 'order.processed',
      consumer: 'data-platform-export',
      aggregateId: order.id,
      payload: expect.objectContaining({ orderId: order.id, eventType: 'ORDER_PAID' }),
      lastError: expect.stringContaining('500'),
    });
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox_events WHERE event_type = 'alert.raised' AND aggregate_id = $1`, [order.id]);
    expect(count).toBe(1);
  });

  it('a relay whose lease ran out changes nothing that another relay has claimed since: not its DEAD, its retry or its DELIVERED', async () => {
    // A pair no consumer of this build handles, so the app's own relay leaves the row to this test.
    const handled = { consumers: ['fencing-test'], eventTypes: ['fencing.test'] };
    const [{ id }] = await t.db.query(
      `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload) VALUES (gen_random_uuid(), 'fencing-test', 'fencing.test', 1, '{}') RETURNING id`,
    );
    const outbox = t.app.get(OutboxRepository);
    const claim = async (leaseMs: number) => (await outbox.claimDue(10, leaseMs, handled, [])).find((e) => e.id === id)!;
    const row = async () => (await t.db.query(`SELECT status, attempts, last_error AS "lastError" FROM outbox_events WHERE id = $1`, [id]))[0];

    const stale = await claim(1_000);
    await t.db.query(`UPDATE outbox_events SET leased_until = now() - interval '1 second' WHERE id = $1`, [id]);
    const current = await claim(60_000);
    expect(current.attempts).toBe(stale.attempts + 1);

    expect(await outbox.markDead(stale, 'late')).toBe(false);
    await outbox.reschedule(stale, 0, 'late');
    expect(await row()).toEqual({ status: 'PENDING', attempts: current.attempts, lastError: null });
    await outbox.markDelivered([current]);
    await outbox.markDead(stale, 'late');
    expect(await row()).toEqual({ status: 'DELIVERED', attempts: current.attempts, lastError: null });
  });
});
