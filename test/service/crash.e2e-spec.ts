import type { Client } from 'pg';
import { ChildApp, Json } from '../support/child-app';
import { POSTGRES_ROUTES } from '../support/postgres-routes';
import { Receiver } from '../support/receiver';

const USERS = 40;
const ORDERS_PER_USER = 6;
const PRICE = 1_000;

/** Runs `tasks` with at most `width` in flight; stops starting new ones once `stop()` is true. */
async function pool<T>(tasks: (() => Promise<T>)[], width: number, stop: () => boolean): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length && !stop()) results.push(await tasks[next++]());
    }),
  );
  return results;
}

describe.each(POSTGRES_ROUTES)('crash safety: SIGKILL mid-load, restart, invariants, $name (e2e)', (route) => {
  const receiver = new Receiver();
  const app = new ChildApp({ OUTBOX_POLL_INTERVAL_MS: '100', OUTBOX_BACKOFF_BASE_MS: '100', OUTBOX_BACKOFF_MAX_MS: '1000', ORDER_SWEEP_INTERVAL_MS: '0' });
  let db: Client;

  const call = app.call.bind(app);

  beforeAll(async () => {
    await receiver.up();
    await route.open();
    Object.assign(app.env, { DATA_PLATFORM_URL: receiver.url, ...route.env(app.databaseName) });
    await app.createDatabase();
    await app.start();
    db = await app.connect();
  });
  afterAll(async () => {
    await app.dropDatabase();
    await receiver.down();
    await route.close();
  });

  it('keeps every won, unit, coupon, ranking count and export right', async () => {
    const products: Json[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', '/admin/products', 1, { name: `crash-${i}`, price: PRICE, options: [{ name: 'a', stock: 500 }, { name: 'b', stock: 500 }] }, 'admin');
      expect(res.status).toBe(201);
      products.push(res.body);
    }
    const options: number[] = products.flatMap((p) => p.options.map((o: { id: number }) => o.id));
    const coupon = (await call('POST', '/admin/coupons', 1, { name: 'crash', discountType: 'FIXED', discountValue: 300, totalQuantity: USERS }, 'admin')).body;

    const orders: { id: number; userId: number }[] = [];
    for (let u = 1; u <= USERS; u++) {
      const userId = 10_000 + u;
      // Enough for only some of the orders: the rest must fail with 402 and leave no trace.
      expect((await call('POST', '/me/balance/charge', userId, { amount: PRICE * 2 * 4 })).status).toBe(200);
      const userCouponId = (await call('POST', `/coupons/${coupon.id}/issue`, userId)).body.userCouponId;
      for (let k = 0; k < ORDERS_PER_USER; k++) {
        const items = [
          { productOptionId: options[(u + k) % options.length], quantity: 1 },
          { productOptionId: options[(u + k + 3) % options.length], quantity: 1 },
        ];
        // Three orders of each user name the same coupon: at most one of them may use it.
        const res = await call('POST', '/orders', userId, k % 2 === 0 ? { items, userCouponId } : { items });
        expect(res.status).toBe(201);
        orders.push({ id: res.body.id, userId });
      }
    }

    let answered = 0;
    let killed = false;
    const killAt = Math.floor(orders.length / 3);
    const attempts = orders.map((o) => async () => {
      const res = await call('POST', '/payments', o.userId, { orderId: o.id }).catch(() => ({ status: 0, body: null }));
      if (++answered === killAt && !killed) {
        killed = true;
        app.process!.kill('SIGKILL');
      }
      return res.status;
    });
    const statuses = await pool(attempts, 32, () => killed);
    expect(killed).toBe(true);
    expect(statuses.filter((s) => s >= 500 && s !== 0)).toEqual([]);
    await app.exited();

    await app.start();
    // Whatever was not paid before the crash can be paid now (stale locks and coupon claims expire).
    await new Promise((r) => setTimeout(r, 1_000));
    const unpaid = (await db.query(`SELECT id, user_id FROM orders WHERE status = 'PENDING'`)).rows;
    const after = await pool(unpaid.map((o) => () => call('POST', '/payments', Number(o.user_id), { orderId: Number(o.id) }).then((r) => r.status)), 16, () => false);
    expect(after.filter((s) => s >= 500)).toEqual([]);

    // Let the relay finish every after-commit delivery.
    const deadline = Date.now() + 30_000;
    while ((await db.query(`SELECT COUNT(*)::int AS n FROM outbox_events WHERE status <> 'DELIVERED'`)).rows[0].n > 0) {
      if (Date.now() > deadline) throw new Error('outbox did not drain');
      await new Promise((r) => setTimeout(r, 200));
    }
    const q = async (sql: string) => (await db.query(sql)).rows;

    // Balance equals the sum of its logs, and the charges less the paid orders; never negative.
    expect(await q(`
      SELECT a.id, a.balance, l.ledger, c.charged - COALESCE(p.paid, 0) AS expected
      FROM user_accounts a
      JOIN (SELECT user_id, SUM(CASE type WHEN 'CHARGE' THEN amount WHEN 'REFUND' THEN amount ELSE -amount END) AS ledger FROM balance_logs GROUP BY 1) l ON l.user_id = a.id
      JOIN (SELECT user_id, SUM(amount) AS charged FROM balance_logs WHERE type = 'CHARGE' GROUP BY 1) c ON c.user_id = a.id
      LEFT JOIN (SELECT user_id, SUM(final_amount) AS paid FROM orders WHERE status = 'PAID' GROUP BY 1) p ON p.user_id = a.id
      WHERE a.balance <> l.ledger OR a.balance <> c.charged - COALESCE(p.paid, 0) OR a.balance < 0`)).toEqual([]);
    // Each paid order has exactly one payment and one USE log of its final amount.
    expect(await q(`
      SELECT o.id FROM orders o
      LEFT JOIN payments p ON p.order_id = o.id
      LEFT JOIN balance_logs l ON l.order_id = o.id AND l.type = 'USE'
      WHERE (o.status = 'PAID') <> (p.id IS NOT NULL) OR (o.status = 'PAID' AND p.amount <> o.final_amount)
         OR (o.status = 'PAID' AND o.final_amount > 0 AND l.amount IS DISTINCT FROM o.final_amount)
         OR (o.status <> 'PAID' AND l.id IS NOT NULL)`)).toEqual([]);
    // Stock: on hand = initial - paid; reserved = pending.
    expect(await q(`
      SELECT po.id FROM product_options po
      LEFT JOIN (SELECT oi.product_option_id AS id,
                        SUM(oi.quantity) FILTER (WHERE o.status = 'PAID') AS paid,
                        SUM(oi.quantity) FILTER (WHERE o.status = 'PENDING') AS pending
                 FROM order_items oi JOIN orders o ON o.id = oi.order_id GROUP BY 1) s ON s.id = po.id
      WHERE po.on_hand <> 500 - COALESCE(s.paid, 0) OR po.reserved <> COALESCE(s.pending, 0)`)).toEqual([]);
    // A coupon is used by at most one paid order, and USED exactly when one paid order used it.
    expect(await q(`
      SELECT uc.id FROM user_coupons uc
      LEFT JOIN (SELECT user_coupon_id, COUNT(*) AS n, MIN(id) AS order_id FROM orders WHERE status = 'PAID' AND user_coupon_id IS NOT NULL GROUP BY 1) p
        ON p.user_coupon_id = uc.id
      WHERE COALESCE(p.n, 0) > 1 OR (uc.status = 'USED') <> (COALESCE(p.n, 0) = 1) OR (uc.status = 'USED' AND uc.used_order_id <> p.order_id)`)).toEqual([]);

    const paid = await q(`SELECT id FROM orders WHERE status = 'PAID'`);
    expect(paid.length).toBeGreaterThan(USERS);
    // Ranking equals paid quantities.
    const top = (await call('GET', '/products/top?days=1&limit=100', 1)).body as { productId: number; salesQuantity: number }[];
    const sold = await q(`SELECT oi.product_id AS "productId", SUM(oi.quantity)::int AS "salesQuantity" FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status = 'PAID' GROUP BY 1 ORDER BY 2 DESC, 1`);
    expect(top.map((x) => ({ productId: x.productId, salesQuantity: x.salesQuantity })).sort((a, b) => a.productId - b.productId))
      .toEqual(sold.map((x) => ({ productId: Number(x.productId), salesQuantity: x.salesQuantity })).sort((a, b) => a.productId - b.productId));
    // Every paid order exported, with one event id per order.
    const exported = [...receiver.distinct().values()].filter((r) => r.body.eventType === 'ORDER_PAID');
    const perOrder = new Map<number, Set<string>>();
    for (const r of exported) perOrder.set(r.body.orderId, (perOrder.get(r.body.orderId) ?? new Set()).add(r.body.eventId));
    expect(paid.map((o) => Number(o.id)).filter((id) => perOrder.get(id)?.size !== 1)).toEqual([]);
    expect(perOrder.size).toBe(paid.length);
  });
});
