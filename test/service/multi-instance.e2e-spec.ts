import { Client } from 'pg';
import { MIGRATIONS } from '../../src/migrations';
import { ChildApp, Json } from '../support/child-app';
import { PgSimulator } from '../../tools/pg-simulator';
import { concurrently } from '../support/http';
import { Receiver } from '../support/receiver';
import { POSTGRES_ROUTES } from '../support/postgres-routes';

const PG_SECRET = 'test_sk_three_instances';
const FAST = {
  OUTBOX_POLL_INTERVAL_MS: '100',
  OUTBOX_BACKOFF_BASE_MS: '100',
  OUTBOX_BACKOFF_MAX_MS: '1000',
  ORDER_SWEEP_INTERVAL_MS: '200',
  LOG_LEVEL: 'warn',
  PG_SECRET_KEY: PG_SECRET,
  PG_TIMEOUT_MS: '1000',
  PG_RECONCILE_INTERVAL_MS: '300',
};

/**
 * Three separate processes of the built server on three ports, one database, one Redis prefix:
 * the concurrency scenarios of the earlier suites with requests spread round-robin. Once with
 * Postgres directly, once through one PgBouncer in transaction pooling mode with fewer server
 * connections than one instance's pool.
 */
describe.each(POSTGRES_ROUTES)('three instances against one Postgres and Redis, $name (e2e)', (route) => {
  const receiver = new Receiver();
  const pg = new PgSimulator({ secretKey: PG_SECRET });
  const first = new ChildApp({ ...FAST });
  const instances = [first, new ChildApp({ ...FAST }, first), new ChildApp({ ...FAST }, first)];
  let db: Client;
  let turn = 0;

  const call = (method: string, path: string, userId: number, body?: unknown, role: 'user' | 'admin' = 'user') =>
    instances[turn++ % instances.length].call(method, path, userId, body, role);
  const tally = (rs: { status: number; body: Json }[]) => {
    const out: Record<string, number> = {};
    for (const r of rs) {
      const k = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.code}`;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  const product = async (stocks: number[], price = 1_000) =>
    (await call('POST', '/admin/products', 1, { name: `p${Math.random()}`, price, options: stocks.map((stock, i) => ({ name: `o${i}`, stock })) }, 'admin')).body;
  const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  beforeAll(async () => {
    await receiver.up();
    await pg.start();
    await route.open();
    for (const app of instances) Object.assign(app.env, { DATA_PLATFORM_URL: receiver.url, PG_BASE_URL: pg.url, ...route.env(first.databaseName) });
    await first.createDatabase();
    // Started together: they race for the migration advisory lock.
    await Promise.all(instances.map((app) => app.start()));
    db = new Client({ connectionString: first.databaseUrl });
    await db.connect();
  }, 60_000);
  afterAll(async () => {
    // Unset when an instance failed to start: the others must still be stopped, or Jest never exits.
    await db?.end();
    await Promise.all(instances.slice(1).map((app) => app.stop()));
    await first.dropDatabase();
    await receiver.down();
    await pg.stop();
    await route.close();
  });

  it('applied each migration once although all three started at once', async () => {
    expect(await q('SELECT name FROM typeorm_migrations ORDER BY id')).toEqual(MIGRATIONS.map((m) => ({ name: m.name })));
  });

  it('100 simultaneous charges to one user add up exactly', async () => {
    const rs = await concurrently(100, (i) => call('POST', '/me/balance/charge', 77, { amount: i + 1 }));
    expect(tally(rs)).toEqual({ 200: 100 });
    expect(await q(`SELECT balance FROM user_accounts WHERE id = 77`)).toEqual([{ balance: 5050 }]);
    expect(await q(`SELECT COUNT(*)::int AS n, SUM(amount)::int AS s FROM balance_logs WHERE user_id = 77`)).toEqual([{ n: 100, s: 5050 }]);
  });

  it(`shares out at most ${route.serverConnections(instances.length)} server connections among the three instances`, async () => {
    const counts: number[] = [];
    let charging = true;
    const sampling = (async () => {
      const others = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
      while (charging) counts.push((await q(others))[0].n);
    })();
    const rs = await concurrently(100, () => call('POST', '/me/balance/charge', 78, { amount: 1 }));
    charging = false;
    await sampling;
    expect(tally(rs)).toEqual({ 200: 100 });
    expect(Math.max(...counts)).toBeLessThanOrEqual(route.serverConnections(instances.length));
  });

  it('100 users racing for 10 coupons: 10 issued; one user sending 20 gets one', async () => {
    const coupon = (await call('POST', '/admin/coupons', 1, { name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 10 }, 'admin')).body;
    expect(tally(await concurrently(100, (i) => call('POST', `/coupons/${coupon.id}/issue`, 1_000 + i)))).toEqual({ 201: 10, '409 COUPON_SOLD_OUT': 90 });
    const other = (await call('POST', '/admin/coupons', 1, { name: 'd', discountType: 'RATE', discountValue: 10, totalQuantity: 5 }, 'admin')).body;
    expect(tally(await concurrently(20, () => call('POST', `/coupons/${other.id}/issue`, 2_000)))).toEqual({ 201: 1, '409 COUPON_ALREADY_ISSUED': 19 });
    expect(await q('SELECT issued_quantity AS n FROM coupons ORDER BY id')).toEqual([{ n: 10 }, { n: 1 }]);
  });

  it('200 buyers for 50 units: 50 orders; opposite-order pairs never deadlock', async () => {
    const hot = await product([50]);
    expect(tally(await concurrently(200, (i) => call('POST', '/orders', 3_000 + i, { items: [{ productOptionId: hot.options[0].id, quantity: 1 }] })))).toEqual({
      201: 50,
      '409 INSUFFICIENT_STOCK': 150,
    });
    const pair = await product([200, 200]);
    const [x, y] = pair.options.map((o: { id: number }) => o.id);
    const rs = await concurrently(100, (i) =>
      call('POST', '/orders', 4_000 + i, { items: i % 2 ? [{ productOptionId: x, quantity: 1 }, { productOptionId: y, quantity: 1 }] : [{ productOptionId: y, quantity: 1 }, { productOptionId: x, quantity: 1 }] }),
    );
    expect(tally(rs)).toEqual({ 201: 100 });
    expect(await q('SELECT on_hand, reserved FROM product_options WHERE id = ANY($1) ORDER BY id', [[hot.options[0].id, x, y]])).toEqual([
      { on_hand: 50, reserved: 50 },
      { on_hand: 200, reserved: 100 },
      { on_hand: 200, reserved: 100 },
    ]);
  });

  it('payments: one of 20 for one order, 5 of 10 on a balance for 5, one of two sharing a coupon', async () => {
    const p = await product([100]);
    const item = [{ productOptionId: p.options[0].id, quantity: 1 }];
    await call('POST', '/me/balance/charge', 5_000, { amount: 5_000 });
    const single = (await call('POST', '/orders', 5_000, { items: item })).body;
    const rs = await concurrently(20, () => call('POST', '/payments', 5_000, { orderId: single.id }));
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
    expect(rs.every((r) => r.status === 201 || ['PAYMENT_IN_PROGRESS', 'ORDER_NOT_PAYABLE'].includes(r.body.code))).toBe(true);

    await call('POST', '/me/balance/charge', 5_001, { amount: 5_000 });
    const ten: Json[] = [];
    for (let i = 0; i < 10; i++) ten.push((await call('POST', '/orders', 5_001, { items: item })).body);
    expect(tally(await concurrently(10, (i) => call('POST', '/payments', 5_001, { orderId: ten[i].id })))).toEqual({ 201: 5, '402 INSUFFICIENT_BALANCE': 5 });

    const coupon = (await call('POST', '/admin/coupons', 1, { name: 'shared', discountType: 'FIXED', discountValue: 100, totalQuantity: 1 }, 'admin')).body;
    const userCouponId = (await call('POST', `/coupons/${coupon.id}/issue`, 5_002)).body.userCouponId;
    await call('POST', '/me/balance/charge', 5_002, { amount: 10_000 });
    const a = (await call('POST', '/orders', 5_002, { items: item, userCouponId })).body;
    const b = (await call('POST', '/orders', 5_002, { items: item, userCouponId })).body;
    expect(tally(await Promise.all([call('POST', '/payments', 5_002, { orderId: a.id }), call('POST', '/payments', 5_002, { orderId: b.id })]))).toEqual({
      201: 1,
      '409 COUPON_NOT_AVAILABLE': 1,
    });
    expect(await q(`SELECT id, balance FROM user_accounts WHERE id IN (5000, 5001, 5002) ORDER BY id`)).toEqual([
      { id: 5000, balance: 4000 },
      { id: 5001, balance: 0 },
      { id: 5002, balance: 9100 },
    ]);
  });

  it('card payments: one charge of 20 for one order; unknown outcomes reconciled once by three reconcilers', async () => {
    const p = await product([100], 3_000);
    const item = [{ productOptionId: p.options[0].id, quantity: 1 }];
    const order = (await call('POST', '/orders', 8_000, { items: item })).body;
    const paymentKey = pg.checkout(`order-${order.id}`, 3_000, { kind: 'slow', delayMs: 100 });
    const rs = await concurrently(20, () => call('POST', '/payments', 8_000, { orderId: order.id, method: 'CARD', paymentKey }));
    expect(tally(rs)).toEqual({ 201: 1, '409 PAYMENT_IN_PROGRESS': 19 });
    expect(pg.payments().filter((x) => x.orderId === `order-${order.id}` && x.status === 'DONE')).toHaveLength(1);

    // Ten orders approved at the gateway whose confirm never answers and whose lookup fails (202):
    // every instance's reconciler races for them.
    const unknown: Json[] = [];
    for (let i = 0; i < 10; i++) {
      const o = (await call('POST', '/orders', 8_001 + i, { items: item })).body;
      const key = pg.checkout(`order-${o.id}`, 3_000, { kind: 'late-approval', lateMs: 50, answer: 'timeout' });
      unknown.push({ order: o, res: call('POST', '/payments', 8_001 + i, { orderId: o.id, method: 'CARD', paymentKey: key }) });
    }
    const confirmed = new Set(unknown.map((u) => `order-${u.order.id}`));
    const deadline = Date.now() + 10_000;
    while (pg.calls.filter((c) => c.path === '/v1/payments/confirm' && confirmed.has((c.body as { orderId: string }).orderId)).length < 10) {
      if (Date.now() > deadline) throw new Error('the confirms never reached the gateway');
      await new Promise((r) => setTimeout(r, 20));
    }
    await pg.down('503');
    try {
      for (const u of unknown) expect((await u.res).status).toBe(202);
    } finally {
      await pg.up();
    }
    const ids = unknown.map((u) => u.order.id);
    const reconciled = Date.now() + 15_000;
    while ((await q(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND status = 'PAID'`, [ids]))[0].n < 10) {
      if (Date.now() > reconciled) throw new Error('card payments not reconciled');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await q(`SELECT status, count(*)::int AS n FROM payments WHERE order_id = ANY($1) GROUP BY status`, [ids])).toEqual([{ status: 'COMPLETED', n: 10 }]);
    const [{ sold }] = await q(`SELECT 100 - on_hand AS sold FROM product_options WHERE id = $1`, [p.options[0].id]);
    expect(sold).toBe(11);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
  });

  it('three sweepers expire overdue orders once each; three relays deliver every event; the ranking is exact', async () => {
    const p = await product([1_000]);
    const orders: Json[] = [];
    for (let i = 0; i < 60; i++) orders.push((await call('POST', '/orders', 6_000 + i, { items: [{ productOptionId: p.options[0].id, quantity: 2 }] })).body);
    await q(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ANY($1)`, [orders.map((o) => o.id)]);

    const deadline = Date.now() + 20_000;
    for (;;) {
      const [{ pending }] = await q(`SELECT COUNT(*)::int AS pending FROM orders WHERE status = 'PENDING' AND expires_at < now()`);
      const [{ undelivered }] = await q(`SELECT COUNT(*)::int AS undelivered FROM outbox_events WHERE status <> 'DELIVERED'`);
      if (pending === 0 && undelivered === 0) break;
      if (Date.now() > deadline) throw new Error(`not settled: ${pending} overdue, ${undelivered} undelivered`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await q('SELECT on_hand, reserved FROM product_options WHERE id = $1', [p.options[0].id])).toEqual([{ on_hand: 1_000, reserved: 0 }]);
    expect(await q(`SELECT COUNT(*)::int AS n, COUNT(DISTINCT aggregate_id)::int AS d FROM outbox_events WHERE event_type = 'order.expired'`)).toEqual([{ n: 60, d: 60 }]);

    // Every event reached the receiver; no event id was accepted twice by three relays.
    const events = await q(`SELECT DISTINCT event_id::text AS id FROM outbox_events WHERE consumer = 'data-platform-export'`);
    const accepted = receiver.accepted.map((r) => r.body.eventId);
    expect(new Set(accepted).size).toBe(events.length);
    expect(accepted.length).toBe(events.length);

    const top = (await call('GET', '/products/top?days=1&limit=100', 1)).body as { productId: number; salesQuantity: number }[];
    const sold = await q(`SELECT oi.product_id AS "productId", SUM(oi.quantity)::int AS "salesQuantity" FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status = 'PAID' GROUP BY 1`);
    expect(top.map(({ productId, salesQuantity }) => ({ productId, salesQuantity })).sort((l, r) => l.productId - r.productId)).toEqual(
      sold.map((s) => ({ productId: Number(s.productId), salesQuantity: s.salesQuantity })).sort((l, r) => l.productId - r.productId),
    );
  });
});
