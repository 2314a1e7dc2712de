import { Pool } from 'pg';
import { AsyncApiValidator } from '../support/asyncapi';
import { ChildApp, Json } from '../support/child-app';
import { until } from '../support/http';
import { NatsClient, NatsServer } from '../support/nats';

const STREAM = 'SHOP_ORDERS_MULTI';
const LATER_EVENTS_PER_ORDER = 4;

/**
 * Three built servers relay one database's outbox to one stream. Each order gets several events,
 * committed one after another while all three relays run and NATS goes away for a while: the
 * stream must hold each order's events once each, in commit order.
 */
describe('event log with three instances relaying (e2e)', () => {
  const nats = new NatsServer();
  const env = () => ({
    NATS_URL: nats.url,
    EVENT_LOG_STREAM: STREAM,
    OUTBOX_POLL_INTERVAL_MS: '20',
    // Small batches: each relay comes back often, so the three interleave on every order.
    OUTBOX_BATCH_SIZE: '5',
    OUTBOX_BACKOFF_BASE_MS: '50',
    OUTBOX_BACKOFF_MAX_MS: '500',
    OUTBOX_MAX_ATTEMPTS: '2',
    ORDER_SWEEP_INTERVAL_MS: '0',
    LOG_LEVEL: 'error',
  });
  let instances: ChildApp[];
  let db: Pool;
  let client: NatsClient;
  const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  beforeAll(async () => {
    await nats.start();
    const first = new ChildApp(env());
    instances = [first, new ChildApp(env(), first), new ChildApp(env(), first)];
    await first.createDatabase();
    await Promise.all(instances.map((app) => app.start()));
    db = new Pool({ connectionString: first.databaseUrl });
    client = await NatsClient.connect(nats.url);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await db?.end();
    await Promise.all(instances.slice(1).map((app) => app.stop()));
    await instances[0].dropDatabase();
    await nats.destroy();
  });

  it("puts each order's events in the stream once each, in commit order, NATS outage included", async () => {
    const [a, b, c] = instances;
    const product = (await a.call('POST', '/admin/products', 1, { name: 'p', price: 1_000, options: [{ name: 'o', stock: 1_000 }] }, 'admin')).body;
    const orders: Json[] = [];
    for (let i = 0; i < 30; i++) {
      const app = instances[i % 3];
      const userId = 10 + i;
      await app.call('POST', '/me/balance/charge', userId, { amount: 1_000 });
      const order = (await app.call('POST', '/orders', userId, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] })).body;
      expect((await app.call('POST', '/payments', userId, { orderId: order.id })).status).toBe(201);
      orders.push(order);
    }

    // Later events of each order (refunds and failed card payments are still to come), each
    // committed on its own, orders interleaved, while the relays publish and NATS fails midway.
    const later = async (orderId: number, n: number) => {
      const [type, eventType] = n % 2 ? ['order.cancelled', 'ORDER_CANCELLED'] : ['order.expired', 'ORDER_EXPIRED'];
      await q(
        `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload)
         SELECT u, 'event-log', $2, aggregate_id, (payload - 'paymentId' - 'paymentMethod') || jsonb_build_object('eventId', u, 'eventType', $3::text)
         FROM outbox_events, gen_random_uuid() AS u WHERE consumer = 'event-log' AND event_type = 'order.processed' AND aggregate_id = $1`,
        [orderId, type, eventType],
      );
      await new Promise((r) => setTimeout(r, Math.random() * 60));
    };
    const writing = Promise.all(
      orders.map(async (order) => {
        for (let n = 0; n < LATER_EVENTS_PER_ORDER; n++) await later(order.id, n);
      }),
    );
    await new Promise((r) => setTimeout(r, 80));
    await nats.stop();
    await writing;
    await until(async () => (await q(`SELECT 1 FROM outbox_events WHERE consumer = 'event-log' AND attempts > 2`)).length > 0, 10_000);
    await nats.start();
    const back = Date.now();
    await until(async () => (await q(`SELECT 1 FROM outbox_events WHERE consumer = 'event-log' AND status <> 'DELIVERED'`)).length === 0, 30_000);
    const catchUpMs = Date.now() - back;

    const events = await q(`SELECT event_id AS "eventId", aggregate_id AS "orderId" FROM outbox_events WHERE consumer = 'event-log' ORDER BY id`);
    expect(events).toHaveLength(30 * (1 + LATER_EVENTS_PER_ORDER));
    const messages = await client.messages(STREAM);
    expect(messages.map((m) => m.headers['Nats-Msg-Id']).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (const order of orders) {
      expect(messages.filter((m) => m.body.orderId === order.id).map((m) => m.headers['Nats-Msg-Id'])).toEqual(
        events.filter((e) => e.orderId === order.id).map((e) => e.eventId),
      );
    }

    // All three relayed: each instance counted publications of its own.
    const publishedBy = await Promise.all(
      [a, b, c].map(async (app) => {
        const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
        return Number(/^event_log_publications_total\{result="published"\} (\d+)/m.exec(text)?.[1] ?? 0);
      }),
    );
    expect(publishedBy.every((n) => n > 0)).toBe(true);
    const validator = await AsyncApiValidator.load();
    expect(messages.flatMap((m) => validator.problems(m))).toEqual([]);
    process.stdout.write(`event log, three relays: ${messages.length} events in order; published by instance ${publishedBy.join('/')}; backlog cleared ${catchUpMs} ms after NATS came back\n`);
  });
});
