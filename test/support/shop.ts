import { bearer, TestApp } from './test-app';

/** Setup through the public API, as an admin and a shopper would do it. */
export function shop(t: TestApp) {
  const admin = () => bearer(t.token(900_000, 'admin'));
  return {
    async product(price: number, stocks: number[], name = `p-${Math.random().toString(36).slice(2, 8)}`) {
      const res = await t.http().post('/admin/products').set(admin()).send({ name, price, options: stocks.map((stock, i) => ({ name: `o${i}`, stock })) }).expect(201);
      return res.body as { id: number; name: string; price: number; options: { id: number; stock: number; onHand: number; reserved: number }[] };
    },
    async option(optionId: number) {
      const [row] = await t.db.query('SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1', [optionId]);
      return row as { onHand: number; reserved: number };
    },
    async coupon(body: Record<string, unknown>) {
      const res = await t.http().post('/admin/coupons').set(admin()).send({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 100, ...body }).expect(201);
      return res.body as { id: number };
    },
    async issue(userId: number, couponId: number): Promise<number> {
      return (await t.http().post(`/coupons/${couponId}/issue`).set(bearer(t.token(userId))).expect(201)).body.userCouponId;
    },
    order(userId: number, items: { productOptionId: number; quantity: number }[], userCouponId?: number) {
      return t.http().post('/orders').set(bearer(t.token(userId))).send(userCouponId ? { items, userCouponId } : { items });
    },
    pay(userId: number, orderId: number, headers: Record<string, string> = {}) {
      return t.http().post('/payments').set(bearer(t.token(userId))).set(headers).send({ orderId });
    },
    /** Everything a payment may touch, read straight from Postgres and Redis. */
    async state(userId: number, orderId: number) {
      const [[order], [account], logs, payments, coupons, outbox] = await Promise.all([
        t.db.query('SELECT status, paid_at AS "paidAt", user_coupon_id AS "userCouponId" FROM orders WHERE id = $1', [orderId]),
        t.db.query('SELECT balance FROM user_accounts WHERE id = $1', [userId]),
        t.db.query(`SELECT type, amount FROM balance_logs WHERE order_id = $1`, [orderId]),
        t.db.query('SELECT id FROM payments WHERE order_id = $1', [orderId]),
        t.db.query('SELECT uc.status FROM user_coupons uc JOIN orders o ON o.user_coupon_id = uc.id WHERE o.id = $1', [orderId]),
        t.db.query(`SELECT consumer FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'order.processed'`, [orderId]),
      ]);
      const options = await t.db.query(
        'SELECT po.id, po.on_hand AS "onHand", po.reserved FROM product_options po JOIN order_items oi ON oi.product_option_id = po.id WHERE oi.order_id = $1 ORDER BY po.id',
        [orderId],
      );
      const claim = order.userCouponId ? await t.redis.get(`coupon-claim:${order.userCouponId}`) : null;
      return {
        order: { status: order.status, paid: order.paidAt !== null },
        balance: account?.balance ?? 0,
        logs,
        payments: payments.length,
        coupon: coupons[0]?.status ?? null,
        couponClaim: claim,
        options,
        outbox: outbox.map((r: { consumer: string }) => r.consumer).sort(),
      };
    },
    /** The order's order.processed rows (one per consumer, one event) and when the order was paid, as the payload's occurredAt must say. */
    async orderPaidEvents(orderId: number) {
      const rows = await t.db.query(`SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'order.processed'`, [orderId]);
      const [{ paidAt }] = await t.db.query('SELECT paid_at AS "paidAt" FROM orders WHERE id = $1', [orderId]);
      const payloads = rows.map((r: { payload: Record<string, unknown> & { eventId: string; items: unknown[] } }) => r.payload);
      return { payloads, events: new Set(payloads.map((p: { eventId: string }) => p.eventId)).size, paidAt: (paidAt as Date).toISOString() };
    },
    charge(userId: number, amount: number) {
      return t.http().post('/me/balance/charge').set(bearer(t.token(userId))).send({ amount }).expect(200);
    },
  };
}
