import { DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { metricValue, outboxDrained } from '../support/gateway-books';
import { until } from '../support/http';
import { NatsClient, NatsServer } from '../support/nats';
import { Receiver } from '../support/receiver';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const STREAM = 'SHOP_ORDERS_PARKING';
const MAX_ATTEMPTS = 5;
/** A one-line order's message fits (well under 1 kB); one of 30 lines (about 3 kB) never will. */
const MAX_MSG_SIZE = 1_500;

interface LogRow {
  id: number;
  eventId: string;
  eventType: string;
  aggregateId: number;
  status: string;
  attempts: number;
  lastError: string | null;
}

/**
 * API.md "Event log": a publication the stream refuses for good (here: every message of an order
 * bigger than the stream's max_msg_size, which the operator set) is parked, not retried: an alert
 * at once, the order's later events held behind it, the others flowing; an operator fixes the
 * stream and replays it with POST /admin/outbox/:id/retry. A failure that retrying can mend
 * (NATS stopped) is never parked.
 */
describe('event log: an event the stream refuses for good is parked (e2e)', () => {
  const nats = new NatsServer();
  const alerts = new Receiver();
  let client: NatsClient;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await nats.start();
    await alerts.up();
    client = await NatsClient.connect(nats.url);
    // The stream as an operator created it, before the service ever ran: with a message size limit.
    await (await jetstreamManager(client.nc)).streams.add({
      name: STREAM,
      subjects: ['shop.orders.>'],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      num_replicas: 1,
      duplicate_window: nanos(10 * 60_000),
      max_msg_size: MAX_MSG_SIZE,
    });
    t = await createTestApp({
      env: {
        NATS_URL: nats.url,
        EVENT_LOG_STREAM: STREAM,
        ALERT_WEBHOOK_URL: alerts.url,
        OUTBOX_POLL_INTERVAL_MS: '50',
        OUTBOX_BACKOFF_BASE_MS: '50',
        OUTBOX_BACKOFF_MAX_MS: '200',
        OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        ORDER_SWEEP_INTERVAL_MS: '0',
      },
    });
    s = shop(t);
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
    await alerts.down();
    await nats.destroy();
  });

  const admin = () => bearer(t.token(900_000, 'admin'));
  const rows = (where: string, params: unknown[] = []): Promise<LogRow[]> =>
    t.db.query(
      `SELECT id::int, event_id AS "eventId", event_type AS "eventType", aggregate_id::int AS "aggregateId", status, attempts, last_error AS "lastError"
       FROM outbox_events WHERE consumer = 'event-log' AND ${where} ORDER BY id`,
      params,
    );
  const alertsFor = (orderId: number, alert: string) => alerts.accepted.filter((a) => a.body.orderId === orderId && a.body.alert === alert);
  const inStream = async (orderId: number) => (await client.messages(STREAM)).filter((m) => m.body.orderId === orderId);

  /** An order of `lines` one-unit lines of 100 won, paid from the balance. */
  async function paidOrder(userId: number, lines: number): Promise<{ id: number; items: { productOptionId: number }[] }> {
    const p = await s.product(100, Array.from({ length: lines }, () => 10));
    await s.charge(userId, lines * 100);
    const order = (await s.order(userId, p.options.map((o) => ({ productOptionId: o.id, quantity: 1 }))).expect(201)).body;
    await s.pay(userId, order.id).expect(201);
    return order;
  }

  it("parks an event the stream refuses for good at once, alerts EVENT_LOG_PARKED, holds that order's later events behind it while others flow, and publishes it and them in commit order once fixed and retried", async () => {
    const refusedBefore = await metricValue(t, 'event_log_publications_total', { result: 'refused' });
    const big = await paidOrder(1, 30);
    const small = await paidOrder(2, 1);

    await until(async () => (await rows(`aggregate_id = $1 AND status <> 'PENDING'`, [big.id])).length === 1, 10_000);
    const [parked] = await rows(`aggregate_id = $1`, [big.id]);
    // Dead-lettered on its first refusal, not after OUTBOX_MAX_ATTEMPTS.
    expect(parked).toMatchObject({ eventType: 'order.processed', status: 'DEAD', attempts: 1, lastError: expect.stringMatching(/maximum|size/i) });
    await until(async () => (await rows(`aggregate_id = $1 AND status = 'DELIVERED'`, [small.id])).length === 1, 10_000);
    expect(await metricValue(t, 'event_log_publications_total', { result: 'refused' })).toBe(refusedBefore + 1);

    await until(() => alertsFor(big.id, 'EVENT_LOG_PARKED').length > 0, 5_000);
    expect(alertsFor(big.id, 'EVENT_LOG_PARKED')).toHaveLength(1);
    expect(alertsFor(big.id, 'EVENT_LOG_PARKED')[0].body).toMatchObject({ severity: 'critical', message: expect.stringContaining(`/admin/outbox/${parked.id}/retry`) });

    // The big order's later events (two refunds), committed after it: they wait, never tried.
    const [first, second] = big.items;
    await t.http().post(`/admin/orders/${big.id}/refunds`).set(admin()).send({ reason: 'one', items: [{ productOptionId: first.productOptionId, quantity: 1 }] }).expect(201);
    await t.http().post(`/admin/orders/${big.id}/refunds`).set(admin()).send({ reason: 'two', items: [{ productOptionId: second.productOptionId, quantity: 1 }] }).expect(201);
    // Other orders' events committed after them still flow: once they are in the stream, the relay has passed the waiting ones by.
    const later = await paidOrder(3, 1);
    await until(async () => (await rows(`aggregate_id = $1 AND status = 'DELIVERED'`, [later.id])).length === 1, 10_000);
    await outboxDrained(t, 10_000, ['alert-delivery']);
    expect((await rows(`aggregate_id = $1`, [big.id])).map((r) => [r.eventType, r.status, r.attempts])).toEqual([
      ['order.processed', 'DEAD', 1],
      ['order.refunded', 'PENDING', 0],
      ['order.refunded', 'PENDING', 0],
    ]);
    expect(await inStream(big.id)).toEqual([]);
    expect((await inStream(small.id)).map((m) => m.body.eventType)).toEqual(['ORDER_PAID']);
    expect(alerts.accepted.filter((a) => a.body.alert === 'OUTBOX_DEAD_LETTER')).toEqual([]);

    // Only a DEAD row can be retried.
    const [delivered] = await rows(`aggregate_id = $1`, [small.id]);
    expect((await t.http().post(`/admin/outbox/${delivered.id}/retry`).set(admin()).expect(409)).body.code).toBe('OUTBOX_EVENT_NOT_DEAD');
    expect((await t.http().post('/admin/outbox/99999999/retry').set(admin()).expect(404)).body.code).toBe('OUTBOX_EVENT_NOT_FOUND');

    // The operator lifts the limit and replays the parked event: it and the waiting ones follow, in commit order.
    await (await jetstreamManager(client.nc)).streams.update(STREAM, { max_msg_size: -1 });
    const retried = await t.http().post(`/admin/outbox/${parked.id}/retry`).set(admin()).expect(200);
    expect(retried.body).toMatchObject({ id: parked.id, status: 'PENDING', attempts: 0 });
    await until(async () => (await rows(`aggregate_id = $1 AND status <> 'DELIVERED'`, [big.id])).length === 0, 10_000);
    const events = await rows(`aggregate_id = $1`, [big.id]);
    const messages = await inStream(big.id);
    expect(messages.map((m) => m.headers['Nats-Msg-Id'])).toEqual(events.map((e) => e.eventId));
    expect(messages.map((m) => m.subject)).toEqual([`shop.orders.${big.id}.paid`, `shop.orders.${big.id}.refunded`, `shop.orders.${big.id}.refunded`]);
    expect((messages[0].body.items as unknown[]).length).toBe(30);
    expect(alertsFor(big.id, 'EVENT_LOG_PARKED')).toHaveLength(1);
  });

  it('a failure retrying can mend (NATS stopped) is retried past OUTBOX_MAX_ATTEMPTS and never parked', async () => {
    await nats.stop();
    let order: { id: number };
    try {
      order = await paidOrder(4, 1);
      await until(async () => (await rows(`aggregate_id = $1`, [order.id]))[0]?.attempts > MAX_ATTEMPTS + 1, 15_000);
      expect((await rows(`aggregate_id = $1`, [order.id])).map((r) => r.status)).toEqual(['PENDING']);
    } finally {
      await nats.start();
    }
    await until(async () => (await rows(`aggregate_id = $1 AND status = 'DELIVERED'`, [order.id])).length === 1, 15_000);
    expect((await inStream(order.id)).map((m) => m.body.eventType)).toEqual(['ORDER_PAID']);
    await outboxDrained(t, 10_000, ['alert-delivery']);
    expect(alerts.accepted.filter((a) => a.body.orderId === order.id)).toEqual([]);
  });
});
