import { ExpireOrdersUseCase } from '../../src/order/application/expire-orders.use-case';
import { shop } from '../support/shop';
import { TcpProxy } from '../support/tcp-proxy';
import { bearer, createTestApp, TestApp } from '../support/test-app';

type Labels = Record<string, string>;

interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

/** The samples of a Prometheus text exposition; comments (HELP, TYPE) are skipped. */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      if (!name) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
      return { name, labels, value: Number(value) };
    });
}

class Scrape {
  readonly samples: Sample[];

  constructor(readonly text: string) {
    this.samples = parseSamples(text);
  }

  /** The samples of one metric, e.g. `payments_total` or `payment_duration_seconds_count`. */
  series(name: string): Sample[] {
    return this.samples.filter((s) => s.name === name);
  }

  /** The value of the sample with exactly these labels; undefined when there is none. */
  value(name: string, labels: Labels = {}): number | undefined {
    const wanted = JSON.stringify(Object.entries(labels).sort());
    return this.series(name).find((s) => JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
  }
}

async function scrape(t: TestApp): Promise<Scrape> {
  const res = await t.http().get('/metrics').expect(200);
  return new Scrape(res.text);
}

describe('metrics (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' } });
    s = shop(t);
  });
  afterAll(() => t.close());

  it('serves GET /metrics without a token, in the Prometheus text format, with process metrics', async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    expect(res.text).toContain('# TYPE payments_total counter');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    const metrics = new Scrape(res.text);
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.series('nodejs_eventloop_lag_seconds')).toHaveLength(1);
  });

  it('counts payments by result, PAID and the error code, and times each attempt', async () => {
    const p = await s.product(10_000, [5]);
    await s.charge(1, 10_000);
    const paid = (await s.order(1, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await s.pay(1, paid.id).expect(201);
    const refused = (await s.order(2, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    expect((await s.pay(2, refused.id).expect(402)).body.code).toBe('INSUFFICIENT_BALANCE');

    const metrics = await scrape(t);
    expect(metrics.value('payments_total', { method: 'BALANCE', result: 'PAID' })).toBe(1);
    expect(metrics.value('payments_total', { method: 'BALANCE', result: 'INSUFFICIENT_BALANCE' })).toBe(1);
    expect(metrics.series('payments_total')).toHaveLength(2);
    for (const result of ['PAID', 'INSUFFICIENT_BALANCE']) {
      expect(metrics.value('payment_duration_seconds_count', { method: 'BALANCE', result })).toBe(1);
      expect(metrics.value('payment_duration_seconds_bucket', { method: 'BALANCE', result, le: '+Inf' })).toBe(1);
      expect(metrics.value('payment_duration_seconds_sum', { method: 'BALANCE', result })).toBeGreaterThan(0);
    }
  });

  it('counts orders placed and orders paid (the completion rate), and times the confirmation of their stock', async () => {
    const before = await scrape(t);
    const placed = before.value('orders_placed_total')!;
    const paidByBalance = before.value('orders_paid_total', { method: 'BALANCE' })!;
    // Every method's series is there before its first order, so that increase() counts that one too.
    for (const method of ['CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT']) expect(before.value('orders_paid_total', { method })).toBe(0);
    const confirmations = before.value('stock_confirmation_duration_seconds_count', { result: 'confirmed' }) ?? 0;
    const p = await s.product(1_000, [5, 5]);
    await s.charge(6, 3_000);
    const two = [{ productOptionId: p.options[0].id, quantity: 1 }, { productOptionId: p.options[1].id, quantity: 2 }];
    const paid = (await s.order(6, two).expect(201)).body;
    const unpaid = (await s.order(6, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await s.pay(6, paid.id).expect(201);
    expect((await s.pay(6, unpaid.id).expect(402)).body.code).toBe('INSUFFICIENT_BALANCE');

    const after = await scrape(t);
    expect(after.value('orders_placed_total')).toBe(placed + 2);
    expect(after.value('orders_paid_total', { method: 'BALANCE' })).toBe(paidByBalance + 1);
    // One confirmation per payment, however many options its order holds; the refused payment's stock was
    // confirmed before its balance was found short (then rolled back with it): its lock time was spent all the same.
    expect(after.value('stock_confirmation_duration_seconds_count', { result: 'confirmed' })).toBe(confirmations + 2);
    expect(after.value('stock_confirmation_duration_seconds_bucket', { result: 'confirmed', le: '+Inf' })).toBe(confirmations + 2);
    expect(after.value('stock_confirmation_duration_seconds_sum', { result: 'confirmed' })).toBeGreaterThan(before.value('stock_confirmation_duration_seconds_sum', { result: 'confirmed' }) ?? 0);
  });

  it('counts coupon issuance by result: ISSUED and COUPON_SOLD_OUT', async () => {
    const coupon = await s.coupon({ totalQuantity: 1 });
    await s.issue(1, coupon.id);
    const soldOut = await t.http().post(`/coupons/${coupon.id}/issue`).set(bearer(t.token(2))).expect(409);
    expect(soldOut.body.code).toBe('COUPON_SOLD_OUT');

    const metrics = await scrape(t);
    expect(metrics.value('coupon_issuance_total', { result: 'ISSUED' })).toBe(1);
    expect(metrics.value('coupon_issuance_total', { result: 'COUPON_SOLD_OUT' })).toBe(1);
  });

  it('times HTTP requests by route template, never the raw URL; unknown routes are "unmatched"; /metrics is left out', async () => {
    const p = await s.product(1_000, [5]);
    const a = (await s.order(3, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const b = (await s.order(3, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const labels = { method: 'GET', route: '/orders/:id', status: '200' };
    const before = (await scrape(t)).value('http_request_duration_seconds_count', labels) ?? 0;

    await t.http().get(`/orders/${a.id}`).set(bearer(t.token(3))).expect(200);
    await t.http().get(`/orders/${b.id}`).set(bearer(t.token(3))).expect(200);
    await t.http().get(`/orders/${a.id}`).expect(401);
    await t.http().get('/no/such/route').expect(404);

    const metrics = await scrape(t);
    expect(metrics.value('http_request_duration_seconds_count', labels)).toBe(before + 2);
    expect(metrics.value('http_request_duration_seconds_count', { ...labels, status: '401' })).toBe(1);
    expect(metrics.value('http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(metrics.value('http_request_duration_seconds_count', { method: 'POST', route: '/orders', status: '201' })).toBeGreaterThanOrEqual(2);
    const routes = new Set(metrics.series('http_request_duration_seconds_count').map((sample) => sample.labels.route));
    expect([...routes].filter((route) => /\d/.test(route) || route === '/metrics')).toEqual([]);
  });

  it('reports the outbox backlog per consumer: pending, dead, and the age of the oldest due event', async () => {
    const p = await s.product(1_000, [5]);
    await s.charge(4, 1_000);
    const order = (await s.order(4, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await s.pay(4, order.id).expect(201);
    // Earlier tests' events count as delivered, as a relay would have left them; this one is a minute old.
    await t.db.query(`UPDATE outbox_events SET status = 'DELIVERED', delivered_at = now() WHERE aggregate_id <> $1`, [order.id]);
    await t.db.query(`UPDATE outbox_events SET created_at = created_at - interval '1 minute' WHERE aggregate_id = $1`, [order.id]);

    const pending = await scrape(t);
    for (const consumer of ['data-platform-export', 'order-completed-push', 'sales-ranking']) {
      expect(pending.value('outbox_events', { consumer, status: 'pending' })).toBe(1);
      expect(pending.value('outbox_events', { consumer, status: 'dead' })).toBe(0);
      expect(pending.value('outbox_oldest_pending_age_seconds', { consumer })).toBeGreaterThanOrEqual(60);
    }

    const row = `aggregate_id = $1 AND consumer = $2`;
    await t.db.query(`UPDATE outbox_events SET status = 'DEAD' WHERE ${row}`, [order.id, 'data-platform-export']);
    await t.db.query(`UPDATE outbox_events SET next_attempt_at = now() + interval '1 minute' WHERE ${row}`, [order.id, 'sales-ranking']);
    await t.db.query(`UPDATE outbox_events SET status = 'DELIVERED', delivered_at = now() WHERE ${row}`, [order.id, 'order-completed-push']);
    const after = await scrape(t);
    expect(after.value('outbox_events', { consumer: 'data-platform-export', status: 'pending' })).toBe(0);
    expect(after.value('outbox_events', { consumer: 'data-platform-export', status: 'dead' })).toBe(1);
    // A retry waiting out its backoff is pending but not lag yet.
    expect(after.value('outbox_events', { consumer: 'sales-ranking', status: 'pending' })).toBe(1);
    expect(after.value('outbox_oldest_pending_age_seconds', { consumer: 'sales-ranking' })).toBe(0);
    // A consumer with nothing left reports zeros rather than vanishing.
    expect(after.value('outbox_events', { consumer: 'order-completed-push', status: 'pending' })).toBe(0);
    expect(after.value('outbox_oldest_pending_age_seconds', { consumer: 'order-completed-push' })).toBe(0);
  });

  it('counts the orders whose reservation was released by expiry', async () => {
    const p = await s.product(1_000, [5]);
    const order = (await s.order(5, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await t.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1`, [order.id]);
    expect(await t.app.get(ExpireOrdersUseCase).execute(500)).toEqual({ expired: 1, batches: 1 });

    expect((await scrape(t)).value('order_expiries_total')).toBe(1);
  });
});

describe('metrics while Postgres is unreachable (e2e)', () => {
  let t: TestApp;
  let pg: TcpProxy;

  beforeAll(async () => {
    pg = await new TcpProxy(5432).start();
    t = await createTestApp({ via: { postgresPort: pg.port }, env: { OUTBOX_POLL_INTERVAL_MS: '0' } });
  });
  afterAll(async () => {
    pg.restore();
    await t.close();
    await pg.stop();
  });

  it('still answers 200 with every other metric, leaving out the outbox gauges until Postgres is back', async () => {
    const s = shop(t);
    const p = await s.product(1_000, [5]);
    const order = (await s.order(1, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await t.http().post(`/orders/${order.id}/cancel`).set(bearer(t.token(1))).expect(200);
    const pending = { consumer: 'data-platform-export', status: 'pending' };
    expect((await scrape(t)).value('outbox_events', pending)).toBe(1);

    pg.blackhole();
    const down = await scrape(t);
    expect(down.series('outbox_events')).toEqual([]);
    expect(down.series('outbox_oldest_pending_age_seconds')).toEqual([]);
    expect(down.value('http_request_duration_seconds_count', { method: 'POST', route: '/orders/:id/cancel', status: '200' })).toBe(1);
    expect(down.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);

    pg.restore();
    expect((await scrape(t)).value('outbox_events', pending)).toBe(1);
  });
});
