import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { OutboxWriter } from '../../src/common/events/outbox/outbox.writer';
import { OrderCancelledEvent } from '../../src/order/application/events/order-cancelled.event';
import { OrderExpiredEvent } from '../../src/order/application/events/order-expired.event';
import asyncApiDocument from '../../src/event-log/event-log.asyncapi.json';
import { PgSimulator } from '../../tools/pg-simulator';
import { AsyncApiValidator } from '../support/asyncapi';
import { concurrently, until } from '../support/http';
import { NatsClient, NatsServer, StreamMessage } from '../support/nats';
import { Receiver } from '../support/receiver';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const STREAM = 'SHOP_ORDERS_E2E';
const KIND: Record<string, string> = {
  'order.processed': 'paid',
  'order.cancelled': 'cancelled',
  'order.expired': 'expired',
  'order.refunded': 'refunded',
  'payment.failed': 'payment_failed',
};
const PG_SECRET = 'test_sk_event_log';
const ROOT = join(__dirname, '../..');

interface LogRow {
  id: number;
  eventId: string;
  eventType: string;
  aggregateId: number;
  status: string;
  attempts: number;
  payload: Record<string, unknown>;
}

describe('event log on NATS JetStream (e2e)', () => {
  const nats = new NatsServer();
  const receiver = new Receiver();
  const pg = new PgSimulator({ secretKey: PG_SECRET });
  let client: NatsClient;
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  const published: StreamMessage[] = [];

  const rows = async (where = 'TRUE', params: unknown[] = []): Promise<LogRow[]> =>
    t.db.query(
      `SELECT id, event_id AS "eventId", event_type AS "eventType", aggregate_id AS "aggregateId", status, attempts, payload
       FROM outbox_events WHERE consumer = 'event-log' AND ${where} ORDER BY id`,
      params,
    );
  const settled = () => until(async () => (await rows(`status <> 'DELIVERED'`)).length === 0, 30_000);
  const stream = async () => {
    const messages = await client.messages(STREAM);
    // Kept for the last test, which validates every message the file published (the stream is
    // deleted once, so a sequence number alone does not identify a message).
    for (const m of messages) if (!published.some((p) => p.seq === m.seq && p.headers['Nats-Msg-Id'] === m.headers['Nats-Msg-Id'])) published.push(m);
    return messages;
  };
  const orderIn = (messages: StreamMessage[], orderId: number) => messages.filter((m) => m.body.orderId === orderId).map((m) => m.headers['Nats-Msg-Id']);
  async function paidOrders(userId: number, count: number): Promise<{ id: number }[]> {
    const p = await s.product(1_000, [1_000]);
    await s.charge(userId, count * 1_000);
    const orders = [];
    for (let i = 0; i < count; i++) {
      const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
      await s.pay(userId, order.id).expect(201);
      orders.push(order);
    }
    return orders;
  }
  const metric = async (name: string) => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  beforeAll(async () => {
    await nats.start();
    await receiver.up();
    await pg.start();
    t = await createTestApp({
      env: {
        PG_BASE_URL: pg.url,
        PG_SECRET_KEY: PG_SECRET,
        PG_RECONCILE_INTERVAL_MS: '0',
        NATS_URL: nats.url,
        EVENT_LOG_STREAM: STREAM,
        DATA_PLATFORM_URL: receiver.url,
        OUTBOX_POLL_INTERVAL_MS: '50',
        OUTBOX_BACKOFF_BASE_MS: '100',
        OUTBOX_BACKOFF_MAX_MS: '1000',
        // Far fewer than an outage below lasts: the event log must never be dead-lettered.
        OUTBOX_MAX_ATTEMPTS: '3',
        ORDER_SWEEP_INTERVAL_MS: '200',
      },
    });
    s = shop(t);
    client = await NatsClient.connect(nats.url);
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
    await receiver.down();
    await pg.stop();
    await nats.destroy();
  });

  it('creates the stream at start-up: subjects shop.orders.>, file storage, a duplicate window of at least 2 minutes', async () => {
    await until(async () => (await client.streamInfo(STREAM)) !== null, 5_000);
    const { config } = (await client.streamInfo(STREAM))!;
    expect(config).toMatchObject({ name: STREAM, subjects: ['shop.orders.>'], storage: 'file', retention: 'limits' });
    expect(config.duplicate_window).toBeGreaterThanOrEqual(120e9);
  });

  it('publishes every paid, cancelled and expired order once, on its subject, with the contract headers and the export body plus schemaVersion', async () => {
    const paid = await paidOrders(1, 3);
    const p = await s.product(500, [100]);
    const open = [];
    for (let i = 0; i < 4; i++) open.push((await s.order(2, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body);
    for (const order of open.slice(0, 2)) await t.http().post(`/orders/${order.id}/cancel`).set(bearer(t.token(2))).expect(200);
    await t.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ANY($1)`, [open.slice(2).map((o) => o.id)]);
    const orderIds = [...paid, ...open].map((o) => o.id);
    await until(async () => (await rows(`aggregate_id = ANY($1)`, [orderIds])).length === 7, 10_000);
    await settled();
    await until(() => orderIds.every((id) => receiver.accepted.some((r) => r.body.orderId === id)), 10_000);

    const events = await rows(`aggregate_id = ANY($1)`, [orderIds]);
    expect(events.map((e) => KIND[e.eventType]).sort()).toEqual(['cancelled', 'cancelled', 'expired', 'expired', 'paid', 'paid', 'paid']);
    const messages = await stream();
    for (const event of events) {
      const copies = messages.filter((m) => m.headers['Nats-Msg-Id'] === event.eventId);
      expect(copies).toHaveLength(1);
      const [{ subject, headers, body }] = copies;
      const exported = receiver.accepted.find((r) => r.body.eventId === event.eventId)!.body;
      expect({ subject, headers, body }).toEqual({
        subject: `shop.orders.${event.aggregateId}.${KIND[event.eventType]}`,
        headers: { 'Nats-Msg-Id': event.eventId, 'Shop-Event-Type': exported.eventType, 'Shop-Schema-Version': '1' },
        body: { ...exported, schemaVersion: 1 },
      });
    }
    expect(messages.filter((m) => orderIds.includes(m.body.orderId))).toHaveLength(7);
  });

  it('publishes failed card payments and refunds too, each order\'s events in the stream in the order they were committed', async () => {
    const p = await s.product(2_000, [100, 100]);
    await s.charge(20, 4_000);
    const items = [
      { productOptionId: p.options[0].id, quantity: 1 },
      { productOptionId: p.options[1].id, quantity: 1 },
    ];
    const order = (await s.order(20, items).expect(201)).body;
    const declined = pg.checkout(`order-${order.id}`, 4_000, { kind: 'decline', code: 'REJECT_CARD_PAYMENT' });
    await t.http().post('/payments').set(bearer(t.token(20))).send({ orderId: order.id, method: 'CARD', paymentKey: declined }).expect(402);
    await s.pay(20, order.id).expect(201);
    const admin = bearer(t.token(900_000, 'admin'));
    await t.http().post(`/admin/orders/${order.id}/refunds`).set(admin).send({ reason: 'one', items: [items[0]] }).expect(201);
    await t.http().post(`/admin/orders/${order.id}/refunds`).set(admin).send({ reason: 'the rest' }).expect(201);
    await until(async () => (await rows(`aggregate_id = $1`, [order.id])).length === 4, 10_000);
    await settled();

    const events = await rows(`aggregate_id = $1`, [order.id]);
    expect(events.map((e) => e.eventType)).toEqual(['payment.failed', 'order.processed', 'order.refunded', 'order.refunded']);
    const messages = (await stream()).filter((m) => m.body.orderId === order.id);
    expect(messages.map((m) => m.headers['Nats-Msg-Id'])).toEqual(events.map((e) => e.eventId));
    for (const [i, m] of messages.entries()) {
      expect({ subject: m.subject, headers: m.headers, body: m.body }).toEqual({
        subject: `shop.orders.${order.id}.${KIND[events[i].eventType]}`,
        headers: { 'Nats-Msg-Id': events[i].eventId, 'Shop-Event-Type': events[i].payload.eventType, 'Shop-Schema-Version': '1' },
        body: { ...events[i].payload, schemaVersion: 1 },
      });
    }
    expect(messages[0].body).toMatchObject({ eventType: 'PAYMENT_FAILED', paymentMethod: 'CARD', amount: 4_000, failureCode: 'REJECT_CARD_PAYMENT' });
    expect(messages[3].body).toMatchObject({ eventType: 'ORDER_REFUNDED', refundAmount: 2_000, refundItems: [expect.objectContaining({ productOptionId: items[1].productOptionId })] });
  });

  it("holds back an order's later events while an earlier one cannot be published; other orders are not held back", async () => {
    await nats.stop();
    const [x, y] = await paidOrders(3, 2);
    const [first] = await rows(`aggregate_id = $1`, [x.id]);
    await until(async () => (await rows(`id = $1`, [first.id]))[0].attempts >= 3, 10_000);

    // Refunds and failed card payments (several events per order) are still to come, so the
    // order's later events are written here as the order module writes its own: in later
    // transactions, through the outbox writer.
    const snapshot = (await t.http().get(`/orders/${x.id}`).set(bearer(t.token(3))).expect(200)).body;
    const writer = t.app.get(OutboxWriter);
    const later = [await writer.add(new OrderCancelledEvent(snapshot, new Date()), x.id), await writer.add(new OrderExpiredEvent(snapshot, new Date()), x.id)];
    const attemptsThen = (await rows(`id = $1`, [first.id]))[0].attempts;
    await until(async () => (await rows(`id = $1`, [first.id]))[0].attempts >= attemptsThen + 2, 10_000);

    expect((await rows(`event_id = ANY($1)`, [later])).map((r) => [r.status, r.attempts])).toEqual([['PENDING', 0], ['PENDING', 0]]);
    expect((await rows(`aggregate_id = $1`, [y.id]))[0].attempts).toBeGreaterThan(1);
    expect(await rows(`status = 'DEAD'`)).toEqual([]);

    await nats.start();
    await settled();
    const messages = await stream();
    expect(orderIn(messages, x.id)).toEqual([first.eventId, ...later]);
    expect(orderIn(messages, y.id)).toHaveLength(1);
  });

  it('NATS stopped mid-load: payments go on, /health answers 200, the lag shows in /metrics, and every event is published once NATS is back', async () => {
    const users = Array.from({ length: 8 }, (_, i) => 100 + i);
    const p = await s.product(100, [10_000]);
    for (const u of users) await s.charge(u, 100_000);
    const before = (await stream()).length;
    let paidCount = 0;
    let stopped: Promise<void> | null = null;
    const latencies: number[] = [];
    const results = await concurrently(users.length, async (i) => {
      const statuses = [];
      for (let k = 0; k < 15; k++) {
        const order = (await s.order(users[i], [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
        const started = Date.now();
        statuses.push((await s.pay(users[i], order.id)).status);
        latencies.push(Date.now() - started);
        if (++paidCount === 40) stopped = nats.stop();
      }
      return statuses;
    });
    await stopped;
    expect(results.flat().every((status) => status === 201)).toBe(true);
    expect(results.flat()).toHaveLength(120);
    await t.http().get('/health').expect(200);

    // Never dead-lettered, however many attempts the outage costs.
    await until(async () => (await rows(`status = 'PENDING' AND attempts > 3`)).length > 0, 15_000);
    expect(await rows(`status = 'DEAD'`)).toEqual([]);
    const lag = await metric('event_log_lag_seconds');
    expect(lag).toBeGreaterThan(0);
    const waiting = (await rows(`status = 'PENDING'`)).length;
    expect(waiting).toBeGreaterThan(0);

    await nats.start();
    const back = Date.now();
    await settled();
    const catchUpMs = Date.now() - back;
    const messages = await stream();
    const events = await rows(`aggregate_id IN (SELECT id FROM orders WHERE user_id = ANY($1))`, [users]);
    expect(events).toHaveLength(120);
    const ids = messages.map((m) => m.headers['Nats-Msg-Id']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const event of events) expect(ids).toContain(event.eventId);
    expect(messages.length - before).toBe(120);
    expect(await metric('event_log_lag_seconds')).toBe(0);
    latencies.sort((a, b) => a - b);
    process.stdout.write(
      `event log outage: ${waiting} events waited (lag ${lag!.toFixed(1)} s at its peak reading), published ${catchUpMs} ms after NATS came back; ` +
        `payment p50 ${latencies[latencies.length >> 1]} ms, max ${latencies[latencies.length - 1]} ms\n`,
    );
  });

  it('re-creates a deleted stream with the next event', async () => {
    await client.deleteStream(STREAM);
    const [order] = await paidOrders(4, 1);
    await settled();
    const messages = await stream();
    expect(messages.map((m) => m.body.orderId)).toEqual([order.id]);
  });

  it('npm run events:tail prints new messages live: sequence, subject, event type, order id', async () => {
    const tail = run('npm', ['run', '--silent', 'events:tail'], { ...process.env, NATS_URL: nats.url, EVENT_LOG_STREAM: STREAM });
    const output = tail.output;
    try {
      await until(() => output().includes('tailing stream'), 10_000);
      const [order] = await paidOrders(5, 1);
      await until(() => output().includes(`shop.orders.${order.id}.paid`), 10_000);
      const [event] = await rows(`aggregate_id = $1`, [order.id]);
      expect(output()).toMatch(new RegExp(`#\\d+  shop\\.orders\\.${order.id}\\.paid  ORDER_PAID  order ${order.id}  ${event.eventId}\\n`));
    } finally {
      await tail.stop();
    }
  });

  it("the README's subscriber (durable consumer, explicit ack) gets each event once and, restarted, resumes where it stopped", async () => {
    const env = { ...process.env, NATS_URL: nats.url, EVENT_LOG_STREAM: STREAM, CONSUMER_NAME: 'e2e-subscriber' };
    const script = join(ROOT, 'examples', 'event-log-subscriber.mjs');
    const handledIn = (text: string) => [...text.matchAll(/handled (\w+) of order (\d+) \(([0-9a-f-]+)\)/g)].map((m) => m[3]);
    const first = run(process.execPath, [script], env);
    const firstOutput = first.output;
    const inStream = (await stream()).map((m) => m.headers['Nats-Msg-Id']);
    await until(() => handledIn(firstOutput()).length === inStream.length, 10_000);
    await first.stop();
    expect(handledIn(firstOutput())).toEqual(inStream);

    const [order] = await paidOrders(6, 1);
    await settled();
    const second = run(process.execPath, [script], env);
    const secondOutput = second.output;
    try {
      await until(() => secondOutput().includes(`of order ${order.id}`), 10_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(handledIn(secondOutput())).toEqual([(await rows(`aggregate_id = $1`, [order.id]))[0].eventId]);
    } finally {
      await second.stop();
    }
  });

  it('serves the AsyncAPI document at /docs/asyncapi.json without a token', async () => {
    expect((await t.http().get('/docs/asyncapi.json').expect(200)).body).toEqual(asyncApiDocument);
  });

  it('every message this file published validates against the AsyncAPI document', async () => {
    await stream();
    expect(published.length).toBeGreaterThan(130);
    const validator = await AsyncApiValidator.load();
    expect(published.flatMap((m) => validator.problems(m))).toEqual([]);
  });
});

describe('without NATS_URL (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { OUTBOX_POLL_INTERVAL_MS: '50', ORDER_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  it('records nothing for the event log, and still serves its document', async () => {
    const s = shop(t);
    const p = await s.product(1_000, [5]);
    await s.charge(1, 1_000);
    const order = (await s.order(1, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await s.pay(1, order.id).expect(201);
    expect((await s.state(1, order.id)).outbox).toEqual(['data-platform-export', 'order-completed-push', 'sales-ranking']);
    expect((await t.http().get('/metrics').expect(200)).text).not.toContain('event_log_');
    expect((await t.http().get('/docs/asyncapi.json').expect(200)).body.asyncapi).toMatch(/^3\./);
  });
});

/** A command run as a person would in a terminal: its output so far, and a way to stop it. */
function run(command: string, args: string[], env: Record<string, string | undefined>) {
  // A process group of its own: npm runs the script through a shell, and Ctrl-C reaches all of them.
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // 'close', not 'exit': the output pipes are drained and closed too.
  const closed = new Promise((resolve) => child.once('close', resolve));
  return {
    output: () => text,
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
      await closed;
    },
  };
}
