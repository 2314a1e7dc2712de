import { ExpireOrdersUseCase } from '../../src/order/application/expire-orders.use-case';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const OVERDUE = 3_000;

describe('order expiry (e2e)', () => {
  describe('batches, run by two sweepers at once', () => {
    let t: TestApp;
    let s: ReturnType<typeof shop>;
    beforeAll(async () => {
      t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0' } });
      s = shop(t);
    });
    afterAll(() => t.close());

    it(`expires ${OVERDUE} overdue orders in batches, releasing exactly their reservations, each once`, async () => {
      const p = await s.product(1_000, [1_000_000, 1_000_000]);
      const [a, b] = p.options.map((o) => o.id);
      // Orders placed through the API: one stays due later, two are pushed past their expiry.
      const live = (await s.order(1, [{ productOptionId: a, quantity: 7 }]).expect(201)).body;
      const due = [
        (await s.order(2, [{ productOptionId: a, quantity: 5 }, { productOptionId: b, quantity: 2 }]).expect(201)).body,
        (await s.order(3, [{ productOptionId: b, quantity: 4 }]).expect(201)).body,
      ];
      await t.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ANY($1)`, [due.map((o) => o.id)]);
      // Thousands more written directly, with the reservations they would hold.
      await t.db.query(
        `WITH o AS (
           INSERT INTO orders (user_id, status, original_amount, discount_amount, final_amount, expires_at)
           SELECT 100000 + g, 'PENDING', 1000, 0, 1000, now() - interval '1 minute' FROM generate_series(1, $1) g RETURNING id)
         INSERT INTO order_items (order_id, product_id, product_option_id, quantity, unit_price)
         SELECT id, $2, CASE WHEN id % 2 = 0 THEN $3::bigint ELSE $4::bigint END, 1, 1000 FROM o`,
        [OVERDUE, p.id, a, b],
      );
      await t.db.query(
        `UPDATE product_options po SET reserved = reserved + x.q
         FROM (SELECT product_option_id, SUM(quantity) AS q FROM order_items oi JOIN orders o ON o.id = oi.order_id
               WHERE o.user_id > 100000 GROUP BY 1) x WHERE po.id = x.product_option_id`,
      );

      const sweeper = t.app.get(ExpireOrdersUseCase);
      const [first, second] = await Promise.all([sweeper.execute(500), sweeper.execute(500)]);
      expect(first.expired + second.expired).toBe(OVERDUE + 2);
      expect(first.batches + second.batches).toBeGreaterThanOrEqual(Math.ceil((OVERDUE + 2) / 500));

      expect(await s.option(a)).toEqual({ onHand: 1_000_000, reserved: 7 });
      expect(await s.option(b)).toEqual({ onHand: 1_000_000, reserved: 0 });
      const [{ pending, expired }] = await t.db.query(
        `SELECT COUNT(*) FILTER (WHERE status = 'PENDING') AS pending, COUNT(*) FILTER (WHERE status = 'EXPIRED') AS expired FROM orders`,
      );
      expect({ pending, expired }).toEqual({ pending: 1, expired: OVERDUE + 2 });
      const [{ events, distinct }] = await t.db.query(
        `SELECT COUNT(*) AS events, COUNT(DISTINCT aggregate_id) AS distinct FROM outbox_events WHERE event_type = 'order.expired'`,
      );
      expect({ events, distinct }).toEqual({ events: OVERDUE + 2, distinct: OVERDUE + 2 });
      await t.http().get(`/orders/${live.id}`).set(bearer(t.token(1))).expect(200).expect((r) => expect(r.body.status).toBe('PENDING'));

      // Nothing left: another sweep does nothing.
      expect(await sweeper.execute(500)).toEqual({ expired: 0, batches: 0 });
    });
  });

  describe('the scheduler, with ORDER_TTL_SECONDS honoured', () => {
    let t: TestApp;
    let s: ReturnType<typeof shop>;
    beforeAll(async () => {
      t = await createTestApp({ env: { ORDER_TTL_SECONDS: '10', ORDER_SWEEP_INTERVAL_MS: '200' } });
      s = shop(t);
    });
    afterAll(() => t.close());

    it('expires an unpaid order on its own; an expired order cannot be cancelled', async () => {
      const p = await s.product(1_000, [10]);
      const order = (await s.order(7, [{ productOptionId: p.options[0].id, quantity: 4 }]).expect(201)).body;
      expect((Date.parse(order.expiresAt) - Date.parse(order.createdAt)) / 1000).toBeCloseTo(10, 0);
      expect(await s.option(p.options[0].id)).toEqual({ onHand: 10, reserved: 4 });

      await t.db.query(`UPDATE orders SET expires_at = now() WHERE id = $1`, [order.id]);
      const started = Date.now();
      let status = 'PENDING';
      while (status === 'PENDING' && Date.now() - started < 5_000) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await t.http().get(`/orders/${order.id}`).set(bearer(t.token(7)))).body.status;
      }
      expect(status).toBe('EXPIRED');
      expect(await s.option(p.options[0].id)).toEqual({ onHand: 10, reserved: 0 });
      const cancel = await t.http().post(`/orders/${order.id}/cancel`).set(bearer(t.token(7))).expect(409);
      expect(cancel.body.code).toBe('ORDER_NOT_CANCELLABLE');
    });
  });
});
