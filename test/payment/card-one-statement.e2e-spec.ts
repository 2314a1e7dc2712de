import { GatewayTestApp } from '../support/gateway-app';
import { metricValue, outboxDrained } from '../support/gateway-books';
import { until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_card_one_statement';
const TIMEOUT_MS = 2_000;

/**
 * A gateway payment asked without an Idempotency-Key is one statement in each phase that writes
 * (PayThroughGatewayUseCase.claimAtOnce, completeAtOnce): phase 1 the order PAYING, the coupon
 * HELD and the attempt PROCESSING; phase 3, once the gateway charged as asked, the order PAID, the
 * attempt COMPLETED, the stock sold, the held coupon used and order.processed in the outbox; each
 * every part or none. When a part's check fails, the transaction way answers as it did before,
 * with nothing of the statement left behind.
 */
describe('a gateway payment as one statement per phase (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS);
  const { pg } = gateway;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    ({ t, s } = await gateway.start());
  });
  afterEach(() => pg.reset());
  afterAll(() => gateway.stop());

  /** Gateway payments completed so far, by the way phase 3 was written. */
  async function ways(): Promise<{ one: number; transaction: number }> {
    return { one: await metricValue(t, 'gateway_payments_completed_total', { way: 'one_statement' }), transaction: await metricValue(t, 'gateway_payments_completed_total', { way: 'transaction' }) };
  }

  const payByCard = (userId: number, orderId: number, paymentKey: string, headers: Record<string, string> = {}) =>
    t.http().post('/payments').set(bearer(t.token(userId))).set(headers).send({ orderId, method: 'CARD', paymentKey });

  /** Two lines (2 + 1 units of 10,000 won options) with a 1,000 won FIXED coupon: finalAmount 29,000. */
  async function placeOrder(userId: number) {
    const p = await s.product(10_000, [5, 5]);
    const userCouponId = await s.issue(userId, (await s.coupon({ discountType: 'FIXED', discountValue: 1_000 })).id);
    const items = [
      { productOptionId: p.options[0].id, quantity: 2 },
      { productOptionId: p.options[1].id, quantity: 1 },
    ];
    const order = (await s.order(userId, items, userCouponId).expect(201)).body as { id: number; finalAmount: number };
    return { order, optionIds: p.options.map((o) => o.id) };
  }

  const attempt = async (orderId: number) =>
    (
      await t.db.query(
        `SELECT status, failure_code AS "failureCode", approval_key AS "approvalKey", method, easy_pay_provider AS "easyPayProvider" FROM payments WHERE order_id = $1 ORDER BY id`,
        [orderId],
      )
    )[0];

  it('completes with one statement: PAID, COMPLETED with what the gateway names, the stock sold, the held coupon USED, order.processed naming the payment', async () => {
    const { order } = await placeOrder(1);
    expect(order.finalAmount).toBe(29_000);
    // Sent as CARD, paid by easy pay: the payment and its ORDER_PAID say what the gateway's answer names.
    const paymentKey = pg.checkout(`order-${order.id}`, 29_000, undefined, { method: 'EASY_PAY', provider: '토스페이' });
    const before = await ways();

    const res = await payByCard(1, order.id, paymentKey).expect(201);

    expect(await ways()).toEqual({ one: before.one + 1, transaction: before.transaction });
    const charged = pg.payments().find((p) => p.paymentKey === paymentKey)!;
    expect(res.body).toMatchObject({ orderId: order.id, amount: 29_000, method: 'EASY_PAY', easyPayProvider: '토스페이', status: 'COMPLETED' });
    expect(await attempt(order.id)).toEqual({ status: 'COMPLETED', failureCode: null, approvalKey: charged.lastTransactionKey, method: 'EASY_PAY', easyPayProvider: '토스페이' });
    expect(await s.state(1, order.id)).toMatchObject({
      order: { status: 'PAID', paid: true },
      coupon: 'USED',
      payments: 1,
      options: [expect.objectContaining({ onHand: 3, reserved: 0 }), expect.objectContaining({ onHand: 4, reserved: 0 })],
      outbox: ['data-platform-export', 'order-completed-push', 'sales-ranking'],
    });
    const { payloads, events, paidAt } = await s.orderPaidEvents(order.id);
    expect(events).toBe(1);
    for (const payload of payloads) {
      expect(payload).toMatchObject({ orderId: order.id, originalAmount: 30_000, discountAmount: 1_000, finalAmount: 29_000, paymentId: res.body.id, paymentMethod: 'EASY_PAY', occurredAt: paidAt });
      expect(payload.items).toHaveLength(2);
    }
  });

  it('goes the transaction way with an Idempotency-Key (its record commits with the answer), to the same end', async () => {
    const { order } = await placeOrder(2);
    const paymentKey = pg.checkout(`order-${order.id}`, 29_000);
    const before = await ways();

    const res = await payByCard(2, order.id, paymentKey, { 'Idempotency-Key': 'card-one-statement-1' }).expect(201);

    expect(await ways()).toEqual({ one: before.one, transaction: before.transaction + 1 });
    expect(res.body).toMatchObject({ method: 'CARD', status: 'COMPLETED' });
    expect(await s.state(2, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED', payments: 1 });
  });

  it('phase 1: a coupon that expired after the order was placed fails its check; nothing written, the transaction way answers 409 COUPON_NOT_AVAILABLE, the gateway never called', async () => {
    const { order } = await placeOrder(4);
    await t.db.query(`UPDATE coupons SET expires_at = now() - interval '1 second' WHERE id = (SELECT uc.coupon_id FROM user_coupons uc JOIN orders o ON o.user_coupon_id = uc.id WHERE o.id = $1)`, [
      order.id,
    ]);
    const paymentKey = pg.checkout(`order-${order.id}`, 29_000);
    const before = await s.state(4, order.id);

    const res = await payByCard(4, order.id, paymentKey).expect(409);

    expect(res.body.code).toBe('COUPON_NOT_AVAILABLE');
    expect(await s.state(4, order.id)).toEqual(before);
    expect(before).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE', payments: 0 });
    expect(pg.calls.filter((c) => c.path === '/v1/payments/confirm')).toEqual([]);
  });

  it('when the reserved stock went while the gateway thought: nothing of the statement written, the checked way refuses, 409 INSUFFICIENT_STOCK, the charge cancelled', async () => {
    const { order, optionIds } = await placeOrder(3);
    const paymentKey = pg.checkout(`order-${order.id}`, 29_000, { kind: 'slow', delayMs: 300 });
    const before = await ways();

    const paying = payByCard(3, order.id, paymentKey);
    const answer = paying.then((r) => r);
    await until(() => pg.calls.some((c) => c.path === '/v1/payments/confirm'), 2_000);
    await t.db.query('UPDATE product_options SET reserved = 0 WHERE id = $1', [optionIds[1]]);
    const res = await answer;

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INSUFFICIENT_STOCK');
    expect(await ways()).toEqual(before);
    // FAILED when it answers; the charge's cancel runs after commit, so it may already be CANCELLED.
    expect(await attempt(order.id)).toMatchObject({ status: expect.stringMatching(/^(FAILED|CANCELLED)$/), failureCode: 'INSUFFICIENT_STOCK' });
    // The coupon goes back with the order (payment.releasing-hold); the untouched option keeps its reservation.
    expect(await s.state(3, order.id)).toMatchObject({
      order: { status: 'PENDING', paid: false },
      coupon: 'AVAILABLE',
      outbox: [],
      options: [expect.objectContaining({ onHand: 5, reserved: 2 }), expect.objectContaining({ onHand: 5, reserved: 0 })],
    });
    await outboxDrained(t);
    await until(() => pg.payments().find((p) => p.paymentKey === paymentKey)?.status === 'CANCELED', 5_000);
    await until(async () => (await attempt(order.id)).status === 'CANCELLED', 5_000);
    expect(await attempt(order.id)).toMatchObject({ status: 'CANCELLED', failureCode: 'INSUFFICIENT_STOCK' });
  });
});
