import { GatewayTestApp } from '../support/gateway-app';
import { lockWaiters, OrderRowLock, outboxDrained, RefundView } from '../support/gateway-books';
import { until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_refunds_gateway';
/** Longer than the slow confirm of defect 4, so that the test can take the order's row while it is on its way. */
const TIMEOUT_MS = 1_000;
const MAX_ATTEMPTS = 3;

/**
 * Card refunds and what the gateway says of their cancels (API.md "Refunds", "Card payments
 * through the payment gateway": cancelling at the gateway): a cancel whose answer was lost is
 * found by asking; CANCEL_FAILED only once the gateway said the cancel did not happen; a gateway
 * that cannot be asked is asked again for as long as it takes; and a refund's method is decided
 * by the payment that paid the order when the refund takes the order's lock.
 */
describe('card refunds and the gateway (e2e)', () => {
  // No webhook URL: a lost cancel can only be found by the refund's own retry asking the gateway.
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS);
  const { pg, alerts } = gateway;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    ({ t, s } = await gateway.start());
  });
  afterEach(async () => {
    await pg.up();
    await outboxDrained(t);
    pg.reset();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const admin = () => bearer(t.token(900_000, 'admin'));
  const refund = (orderId: number, body: Record<string, unknown>) => t.http().post(`/admin/orders/${orderId}/refunds`).set(admin()).send(body);
  const refundsOf = async (orderId: number) => (await t.http().get(`/admin/orders/${orderId}/refunds`).set(admin()).expect(200)).body as RefundView[];
  const orderOf = async (userId: number, orderId: number) => (await t.http().get(`/orders/${orderId}`).set(bearer(t.token(userId))).expect(200)).body;
  const lines = (orderId: number) => t.db.query(`SELECT refunded_quantity AS refunded, refunding_quantity AS refunding FROM order_items WHERE order_id = $1 ORDER BY id`, [orderId]);
  const cancellations = (orderId: number) =>
    t.db.query(`SELECT status, attempts FROM outbox_events WHERE consumer = 'refund-cancellation' AND aggregate_id = $1 ORDER BY id`, [orderId]) as Promise<{ status: string; attempts: number }[]>;
  const gatewayPayment = (paymentKey: string) => pg.payments().find((p) => p.paymentKey === paymentKey)!;
  const callsOf = (paymentKey: string) =>
    pg.calls.filter((c) => c.path.startsWith(`/v1/payments/${paymentKey}`)).map((c) => `${c.method} ${c.path.endsWith('/cancel') ? 'cancel' : 'lookup'} ${c.status}`);
  const alertsFor = (orderId: number, alert: string) => alerts.accepted.filter((a) => a.body.orderId === orderId && a.body.alert === alert);

  /** Two units of 10,000 won on one line, paid by card: finalAmount 20,000. */
  async function paidByCard(userId: number) {
    const p = await s.product(10_000, [10]);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body as { id: number; finalAmount: number };
    const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount);
    await t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId: order.id, method: 'CARD', paymentKey }).expect(201);
    return { order, optionId: p.options[0].id as number, paymentKey };
  }

  describe('defect 2: a cancel that landed at the gateway but whose answer was lost', () => {
    it.each([500, 'destroy'] as const)('answer %s, then 5xx on every retry: the refund ends COMPLETED, no alert, units refunded, the gateway holds paid − refund exactly', async (answer) => {
      const userId = answer === 500 ? 1 : 2;
      const { order, optionId, paymentKey } = await paidByCard(userId);
      pg.behave(paymentKey, { kind: 'cancel-lost', answer, thenFail: 100 });

      const res = await refund(order.id, { reason: 'one unit back', items: [{ productOptionId: optionId, quantity: 1 }] }).expect(202);
      expect(res.body).toMatchObject({ status: 'PROCESSING', amount: 10_000, source: 'SHOP', completedAt: null });
      await until(async () => (await refundsOf(order.id))[0].status !== 'PROCESSING', 10_000);

      const [done] = await refundsOf(order.id);
      expect(done).toMatchObject({ id: res.body.id, status: 'COMPLETED', amount: 10_000, completedAt: expect.any(String) });
      const { cancels, balanceAmount, status } = gatewayPayment(paymentKey);
      expect({ balanceAmount, status, cancels: cancels!.map((c) => c.cancelAmount) }).toEqual({ balanceAmount: 20_000 - 10_000, status: 'PARTIAL_CANCELED', cancels: [10_000] });
      expect((await t.db.query(`SELECT transaction_key AS key FROM refunds WHERE id = $1`, [done.id]))[0].key).toBe(cancels![0].transactionKey);
      // The request's cancel got no answer; its retry got a 5xx and asked the gateway, which listed the cancel.
      const calls = callsOf(paymentKey);
      expect(calls.slice(0, 3)).toEqual([`POST cancel ${answer === 500 ? 500 : null}`, 'POST cancel 500', 'GET lookup 200']);
      expect(await lines(order.id)).toEqual([{ refunded: 1, refunding: 0 }]);
      expect(await orderOf(userId, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 10_000 });
      expect(await cancellations(order.id)).toEqual([{ status: 'DELIVERED', attempts: 1 }]);
      await outboxDrained(t);
      expect(alertsFor(order.id, 'PG_CANCEL_FAILED')).toEqual([]);
      expect(alertsFor(order.id, 'OUTBOX_DEAD_LETTER')).toEqual([]);

      // The books agree with the gateway from here on: the other unit refunds the rest, exactly.
      pg.behave(paymentKey, { kind: 'approve' });
      expect((await refund(order.id, { reason: 'the other unit' }).expect(201)).body).toMatchObject({ amount: 10_000, status: 'COMPLETED' });
      expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
      expect(await orderOf(userId, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 20_000 });
    });
  });

  it("two refunds of the same amount, the newer one's cancel landed with its answer lost while the older one's failed: both end COMPLETED, each with a cancel of its own, no CANCEL_FAILED", async () => {
    const { order, optionId, paymentKey } = await paidByCard(8);
    const oneUnit = { items: [{ productOptionId: optionId, quantity: 1 }] };
    // The older refund's cancel never reaches the gateway's books...
    await pg.down('503');
    const older = (await refund(order.id, { reason: 'first unit', ...oneUnit }).expect(202)).body as RefundView;
    await pg.up();
    // ...the newer one's lands, its answer lost, and the next few cancel calls of the payment get 5xx.
    pg.behave(paymentKey, { kind: 'cancel-lost', answer: 500, thenFail: 3 });
    const newer = (await refund(order.id, { reason: 'second unit', ...oneUnit }).expect(202)).body as RefundView;
    expect(gatewayPayment(paymentKey)).toMatchObject({ balanceAmount: 10_000 });

    await until(async () => (await refundsOf(order.id)).every((r) => r.status !== 'PROCESSING'), 15_000);
    await outboxDrained(t);
    expect((await refundsOf(order.id)).map((r) => [r.id, r.status])).toEqual([
      [older.id, 'COMPLETED'],
      [newer.id, 'COMPLETED'],
    ]);
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    const keys = (await t.db.query(`SELECT transaction_key AS key FROM refunds WHERE order_id = $1 ORDER BY id`, [order.id])).map((r: { key: string }) => r.key);
    expect([...keys].sort()).toEqual(gatewayPayment(paymentKey).cancels!.map((c) => c.transactionKey).sort());
    expect(await orderOf(8, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 20_000 });
    expect(alertsFor(order.id, 'PG_CANCEL_FAILED')).toEqual([]);
  });

  it('CANCEL_FAILED only once the gateway was asked: every failed retry is followed by a lookup of the payment, then the alert, the units refundable again', async () => {
    const { order, optionId, paymentKey } = await paidByCard(3);
    pg.behave(paymentKey, { kind: 'cancel-fails', times: -1 });
    const res = await refund(order.id, { reason: 'one unit back', items: [{ productOptionId: optionId, quantity: 1 }] }).expect(202);
    await until(async () => (await refundsOf(order.id))[0].status !== 'PROCESSING', 10_000);
    expect((await refundsOf(order.id))[0]).toMatchObject({ id: res.body.id, status: 'CANCEL_FAILED' });

    expect(callsOf(paymentKey)).toEqual(['POST cancel 500', ...Array.from({ length: MAX_ATTEMPTS }, () => ['POST cancel 500', 'GET lookup 200']).flat()]);
    await until(() => alertsFor(order.id, 'PG_CANCEL_FAILED').length === 1, 5_000);
    expect(alertsFor(order.id, 'PG_CANCEL_FAILED')[0].body).toMatchObject({ severity: 'critical', refundId: res.body.id });
    expect(await lines(order.id)).toEqual([{ refunded: 0, refunding: 0 }]);
    expect(await orderOf(3, order.id)).toMatchObject({ status: 'PAID', refundedAmount: 0 });
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'DONE', balanceAmount: 20_000 });
  });

  it.each(['503', 'refuse'] as const)('the gateway down (%s) throughout: the refund is not declared CANCEL_FAILED however many tries it takes, and completes once the gateway is back', async (mode) => {
    const userId = mode === '503' ? 4 : 5;
    const { order, optionId, paymentKey } = await paidByCard(userId);
    await pg.down(mode);
    const res = await refund(order.id, { reason: 'one unit back', items: [{ productOptionId: optionId, quantity: 1 }] }).expect(202);
    expect(res.body.status).toBe('PROCESSING');
    await until(async () => (await cancellations(order.id))[0]?.attempts > MAX_ATTEMPTS + 2, 10_000);
    expect(await cancellations(order.id)).toEqual([{ status: 'PENDING', attempts: expect.any(Number) }]);
    expect((await refundsOf(order.id))[0].status).toBe('PROCESSING');
    expect(await lines(order.id)).toEqual([{ refunded: 0, refunding: 1 }]);
    // Its units stay held: nobody can refund them twice meanwhile.
    expect((await refund(order.id, { reason: 'both units', items: [{ productOptionId: optionId, quantity: 2 }] }).expect(409)).body.code).toBe('REFUND_EXCEEDS_PAID');
    expect(alertsFor(order.id, 'PG_CANCEL_FAILED')).toEqual([]);
    if (mode === '503') expect(new Set(callsOf(paymentKey))).toEqual(new Set(['POST cancel 503', 'GET lookup 503']));

    await pg.up();
    await until(async () => (await refundsOf(order.id))[0].status === 'COMPLETED', 10_000, async () => ({
      refunds: await refundsOf(order.id),
      outbox: await t.db.query(`SELECT consumer, status, attempts, last_error, next_attempt_at, leased_until, now() FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [order.id]),
      calls: callsOf(paymentKey),
    }));
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 10_000 });
    expect(await orderOf(userId, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 10_000 });
    await outboxDrained(t);
    expect(alertsFor(order.id, 'PG_CANCEL_FAILED')).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM outbox_events WHERE status = 'DEAD' AND aggregate_id = $1`, [order.id])).toEqual([]);
  });

  it('defect 4: a card order whose payment completes while a refund of it waits for the order is refunded at the gateway, never to the balance', async () => {
    const p = await s.product(10_000, [10]);
    await s.charge(6, 50_000);
    const order = (await s.order(6, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body as { id: number; finalAmount: number };
    const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, { kind: 'slow', delayMs: 600 });
    const paying = t.http().post('/payments').set(bearer(t.token(6))).send({ orderId: order.id, method: 'CARD', paymentKey }).then((r) => r);
    await until(() => pg.calls.some((c) => c.path === '/v1/payments/confirm'), 2_000);

    // Phase 1 has committed (the order is PAYING); the order's row is the test's until both wait for it.
    const lock = await OrderRowLock.take(t, order.id);
    let refunding;
    try {
      await until(async () => (await lockWaiters(t)) === 1, 5_000);
      refunding = refund(order.id, { reason: 'changed their mind' }).then((r) => r);
      await until(async () => (await lockWaiters(t)) === 2, 5_000);
    } finally {
      await lock.release();
    }
    expect((await paying).status).toBe(201);
    const res = await refunding;
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { status: 'COMPLETED', amount: 10_000, source: 'SHOP' } });

    expect((await t.db.query(`SELECT method FROM refunds WHERE id = $1`, [res.body.id]))[0].method).toBe('CARD');
    expect(pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`).map((c) => [c.body, c.status])).toEqual([[{ cancelReason: 'changed their mind', cancelAmount: 10_000 }, 200]]);
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(await s.state(6, order.id)).toMatchObject({ balance: 50_000, logs: [] });
    expect(await orderOf(6, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 10_000 });
  });
});
