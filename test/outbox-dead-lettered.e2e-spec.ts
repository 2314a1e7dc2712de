import { EventEmitter2 } from '@nestjs/event-emitter';
import { OutboxDeadLetteredEvent } from '../src/common/events/outbox/outbox-dead-lettered.event';
import { until } from './support/http';
import { Receiver } from './support/receiver';
import { shop } from './support/shop';
import { createTestApp, TestApp } from './support/test-app';

describe('outbox.dead-lettered, the in-process hook for alerting (e2e)', () => {
  const receiver = new Receiver(() => 500);
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await receiver.up();
    t = await createTestApp({
      env: { OUTBOX_POLL_INTERVAL_MS: '50', OUTBOX_BACKOFF_BASE_MS: '50', OUTBOX_BACKOFF_MAX_MS: '100', OUTBOX_MAX_ATTEMPTS: '2', DATA_PLATFORM_URL: receiver.url },
    });
    s = shop(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.down();
  });

  it('announces each dead-lettered row once, with what an alert needs; a failing listener changes nothing', async () => {
    const heard: OutboxDeadLetteredEvent[] = [];
    const emitter = t.app.get(EventEmitter2);
    let failures = 0;
    emitter.on(OutboxDeadLetteredEvent.NAME, async () => {
      failures++;
      throw new Error('alert webhook down');
    });
    emitter.on(OutboxDeadLetteredEvent.NAME, (event: OutboxDeadLetteredEvent) => void heard.push(event));

    const p = await s.product(1_000, [10]);
    await s.charge(3, 2_000);
    const orders = [];
    for (let i = 0; i < 2; i++) {
      const order = (await s.order(3, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
      await s.pay(3, order.id).expect(201);
      orders.push(order);
    }
    await until(() => heard.length === 2, 10_000);

    const dead = await t.db.query(
      `SELECT id AS "outboxId", event_id AS "eventId", event_type AS "eventType", consumer, aggregate_id AS "aggregateId", last_error AS "lastError"
       FROM outbox_events WHERE status = 'DEAD' ORDER BY id`,
    );
    expect(dead).toHaveLength(2);
    expect(dead.map((d: { aggregateId: number }) => d.aggregateId)).toEqual(orders.map((o) => o.id));
    expect(heard.sort((a, b) => a.outboxId - b.outboxId).map(({ occurredAt: _, ...rest }) => ({ ...rest }))).toEqual(
      dead.map((d: Record<string, unknown>) => ({ ...d, consumer: 'data-platform-export', eventType: 'order.processed', lastError: expect.stringContaining('500') })),
    );
    expect(heard.every((e) => e.occurredAt instanceof Date)).toBe(true);
    expect(failures).toBe(2);
    // The relay went on after the failing listener: the other consumers' rows were delivered.
    const [{ undelivered }] = await t.db.query(`SELECT COUNT(*)::int AS undelivered FROM outbox_events WHERE status = 'PENDING'`);
    expect(undelivered).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toHaveLength(2);
  });
});
