import { ReconcileGatewayPaymentsUseCase } from '../../src/payment/application/reconcile-gateway-payments.use-case';
import { GatewayTestApp } from '../support/gateway-app';
import { concurrently, countBy, until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_card_e2e';
const TIMEOUT_MS = 400;

describe('card payments through the payment gateway (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS);
  const { pg, alerts } = gateway;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    ({ t, s } = await gateway.start());
  });
  afterEach(() => pg.reset());
  afterAll(async () => {
    await gateway.stop();
  });

  const reconcile = () => t.app.get(ReconcileGatewayPaymentsUseCase).execute();
  const payByCard = (userId: number, orderId: number, paymentKey: string, headers: Record<string, string> = {}) =>
    t.http().post('/payments').set(bearer(t.token(userId))).set(headers).send({ orderId, method: 'CARD', paymentKey });
  const attempts = async (userId: number, orderId: number) =>
    (await t.http().get(`/orders/${orderId}/payments`).set(bearer(t.token(userId))).expect(200)).body as { id: number; status: string; failureCode: string | null; method: string }[];
  const confirms = (orderId: number) => pg.calls.filter((c) => c.path === '/v1/payments/confirm' && (c.body as { orderId?: string })?.orderId === `order-${orderId}`);

  /** A one-unit order of a 10,000 won product for `userId`, optionally with a 1,000 won FIXED coupon. */
  async function placeOrder(userId: number, withCoupon = false) {
    const p = await s.product(10_000, [5]);
    const userCouponId = withCoupon ? await s.issue(userId, (await s.coupon({ discountType: 'FIXED', discountValue: 1_000 })).id) : undefined;
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
    return { order, optionId: p.options[0].id as number, userCouponId };
  }

  it('approval with a coupon: PAID, coupon USED, stock sold, approval number, one confirm with the server amount and order-N', async () => {
    const { order, optionId } = await placeOrder(1, true);
    expect(order.finalAmount).toBe(9_000);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000);

    const res = await payByCard(1, order.id, paymentKey).expect(201);
    const [gatewayPayment] = pg.payments().filter((p) => p.paymentKey === paymentKey);
    expect(res.body).toEqual({
      id: expect.any(Number),
      orderId: order.id,
      userId: 1,
      amount: 9_000,
      method: 'CARD',
      status: 'COMPLETED',
      approvalNumber: gatewayPayment.card!.approveNo,
      failureCode: null,
      paymentKey,
      gatewayOrderId: `order-${order.id}`,
      easyPayProvider: null,
      virtualAccount: null,
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(gatewayPayment.status).toBe('DONE');
    const [confirm] = confirms(order.id);
    expect(confirms(order.id)).toHaveLength(1);
    expect(confirm.body).toEqual({ paymentKey, orderId: `order-${order.id}`, amount: 9_000 });
    expect(confirm.headers.authorization).toBe(`Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`);
    expect(confirm.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    expect(await s.state(1, order.id)).toMatchObject({ order: { status: 'PAID', paid: true }, coupon: 'USED', balance: 0, logs: [], payments: 1 });
    expect(await s.option(optionId)).toEqual({ onHand: 4, reserved: 0 });
    expect(await attempts(1, order.id)).toEqual([expect.objectContaining({ id: res.body.id, method: 'CARD', status: 'COMPLETED' })]);
  });

  it('decline: 402 CARD_DECLINED with pgCode, everything as before, then payable by balance', async () => {
    const { order, optionId } = await placeOrder(2, true);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, { kind: 'decline', code: 'REJECT_CARD_PAYMENT' });

    const res = await payByCard(2, order.id, paymentKey).expect(402);
    expect(res.body).toEqual({ statusCode: 402, code: 'CARD_DECLINED', pgCode: 'REJECT_CARD_PAYMENT', message: expect.any(String) });
    expect(await s.state(2, order.id)).toMatchObject({ order: { status: 'PENDING', paid: false }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
    expect(await attempts(2, order.id)).toEqual([expect.objectContaining({ status: 'FAILED', failureCode: 'REJECT_CARD_PAYMENT' })]);

    await s.charge(2, 9_000);
    await s.pay(2, order.id).expect(201);
    expect(await s.state(2, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED', balance: 0 });
    expect((await attempts(2, order.id)).map((a) => `${a.method} ${a.status}`)).toEqual(['CARD FAILED', 'BALANCE COMPLETED']);
  });

  it('a session authorised for less than finalAmount is refused by the gateway: 402, nothing charged', async () => {
    const { order, optionId } = await placeOrder(3);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_999);
    const res = await payByCard(3, order.id, paymentKey).expect(402);
    expect(res.body).toMatchObject({ code: 'CARD_DECLINED', pgCode: 'INVALID_REQUEST' });
    expect((confirms(order.id)[0].body as { amount: number }).amount).toBe(10_000);
    expect(pg.payments().filter((p) => p.status === 'DONE')).toEqual([]);
    expect(await s.state(3, order.id)).toMatchObject({ order: { status: 'PENDING' } });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
  });

  it('20 simultaneous card payments of one order: one charge, the others 409', async () => {
    const { order } = await placeOrder(4);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'slow', delayMs: 100 });
    const responses = await concurrently(20, () => payByCard(4, order.id, paymentKey));
    const kinds = countBy(responses, (r) => (r.status === 201 ? 'paid' : `${r.status} ${r.body.code}`));
    expect(kinds.paid).toBe(1);
    expect(Object.keys(kinds).filter((k) => k !== 'paid')).toEqual(['409 PAYMENT_IN_PROGRESS']);
    expect(confirms(order.id)).toHaveLength(1);
    expect(pg.payments().filter((p) => p.status === 'DONE')).toHaveLength(1);
    expect(await s.state(4, order.id)).toMatchObject({ order: { status: 'PAID' }, payments: 1 });
  });

  it('holds the coupon while PAYING: another order cannot use it, the PAYING order cannot be cancelled or paid again', async () => {
    const { order, userCouponId } = await placeOrder(5, true);
    const p = await s.product(5_000, [5]);
    const other = (await s.order(5, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
    await s.charge(5, 20_000);
    // Approved at the gateway only later, and unknown meanwhile: the order stays PAYING as long as this test needs.
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, { kind: 'late-approval', lateMs: 1_500, answer: 'timeout' });
    const paying = payByCard(5, order.id, paymentKey).then((r) => r);
    await until(() => confirms(order.id).length === 1, 2_000);
    await pg.down('503');
    try {
      expect((await paying).status).toBe(202);
    } finally {
      await pg.up();
    }
    expect((await s.pay(5, other.id).expect(409)).body.code).toBe('COUPON_NOT_AVAILABLE');
    expect((await t.http().post(`/orders/${order.id}/cancel`).set(bearer(t.token(5))).expect(409)).body.code).toBe('ORDER_NOT_CANCELLABLE');
    expect((await s.pay(5, order.id).expect(409)).body.code).toBe('PAYMENT_IN_PROGRESS');
    const coupons = (await t.http().get('/me/coupons').set(bearer(t.token(5))).expect(200)).body as { userCouponId: number; status: string }[];
    expect(coupons.find((c) => c.userCouponId === userCouponId)?.status).toBe('AVAILABLE');

    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);
    expect(await reconcile()).toMatchObject({ completed: 1 });
    expect(await s.state(5, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED' });
    expect(await s.state(5, other.id)).toMatchObject({ order: { status: 'PENDING' }, balance: 20_000 });
  });

  it('gateway down (connection refused): 503 PAYMENT_GATEWAY_UNAVAILABLE, nothing changed, payable again', async () => {
    const { order, optionId } = await placeOrder(6, true);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000);
    await pg.down('refuse');
    try {
      const res = await payByCard(6, order.id, paymentKey).expect(503);
      expect(res.body).toEqual({ statusCode: 503, code: 'PAYMENT_GATEWAY_UNAVAILABLE', message: expect.any(String) });
    } finally {
      await pg.up();
    }
    expect(await s.state(6, order.id)).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
    expect(await attempts(6, order.id)).toEqual([expect.objectContaining({ status: 'FAILED', failureCode: 'GATEWAY_UNREACHABLE' })]);
    await payByCard(6, order.id, paymentKey).expect(201);
  });

  it('timeout, then the lookup finds it DONE: 201', async () => {
    const { order } = await placeOrder(7);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 100, answer: 'timeout' });
    const res = await payByCard(7, order.id, paymentKey).expect(201);
    expect(res.body).toMatchObject({ status: 'COMPLETED', approvalNumber: expect.stringMatching(/^\d{8}$/) });
    // Looked up by the attempt's own paymentKey, never by order id.
    expect(pg.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /v1/payments/confirm', `GET /v1/payments/${paymentKey}`]);
    expect(await s.state(7, order.id)).toMatchObject({ order: { status: 'PAID' } });
  });

  it('timeout and the lookup cannot tell: 202 PROCESSING, the order stays PAYING, then reconciled to PAID', async () => {
    const { order } = await placeOrder(8);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 1_500, answer: 'timeout' });
    const paying = payByCard(8, order.id, paymentKey).then((r) => r);
    await until(() => confirms(order.id).length === 1, 2_000);
    await pg.down('503');
    let res;
    try {
      res = await paying;
    } finally {
      await pg.up();
    }
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'PROCESSING', approvalNumber: null, completedAt: null });
    expect(await s.state(8, order.id)).toMatchObject({ order: { status: 'PAYING' } });
    expect((await s.pay(8, order.id).expect(409)).body.code).toBe('PAYMENT_IN_PROGRESS');

    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);
    expect(await reconcile()).toMatchObject({ completed: 1 });
    const payment = (await t.http().get(`/payments/${res.body.id}`).set(bearer(t.token(8))).expect(200)).body;
    expect(payment).toMatchObject({ status: 'COMPLETED', approvalNumber: expect.stringMatching(/^\d{8}$/) });
    expect(await s.state(8, order.id)).toMatchObject({ order: { status: 'PAID' }, payments: 1 });
    expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });
  });

  it('late approval of an abandoned payment is cancelled at the gateway: CANCELLED, no charge stands, the order still payable', async () => {
    const { order, optionId } = await placeOrder(9, true);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, { kind: 'late-approval', lateMs: 600 });
    const res = await payByCard(9, order.id, paymentKey).expect(503);
    expect(res.body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    expect(await s.state(9, order.id)).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE' });

    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);
    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 1 });
    await until(async () => (await attempts(9, order.id))[0].status === 'CANCELLED', 5_000);
    const cancel = pg.calls.find((c) => c.path === `/v1/payments/${paymentKey}/cancel`)!;
    expect(cancel.body).toEqual({ cancelReason: expect.any(String) });
    expect(cancel.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(pg.payments().find((p) => p.paymentKey === paymentKey)?.status).toBe('CANCELED');
    expect(await s.state(9, order.id)).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 0 });
  });

  it('a late approval that a retry with the same paymentKey turned into the order\'s payment is not cancelled: PAID, the charge stands', async () => {
    const { order } = await placeOrder(15);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 600 });
    await payByCard(15, order.id, paymentKey).expect(503);
    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);

    // The customer retries with the same session: the gateway says it went through, the order is paid by it.
    expect((await payByCard(15, order.id, paymentKey).expect(201)).body).toMatchObject({ status: 'COMPLETED' });
    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 0 });
    // A cancellation only ever leaves through an outbox row: none was written, so none can reach the gateway later.
    expect(await t.db.query(`SELECT 1 FROM outbox_events WHERE consumer = 'gateway-cancellation' AND aggregate_id = $1`, [order.id])).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM payments WHERE order_id = $1 AND cancel_requested_at IS NOT NULL`, [order.id])).toEqual([]);
    expect(pg.calls.some((c) => c.path === `/v1/payments/${paymentKey}/cancel`)).toBe(false);
    expect(pg.payments().find((p) => p.paymentKey === paymentKey)?.status).toBe('DONE');
    expect(await s.state(15, order.id)).toMatchObject({ order: { status: 'PAID' } });
  });

  it('a retry with the paymentKey of a late approval being cancelled does not pay the order with it', async () => {
    const { order } = await placeOrder(16);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 600 });
    await payByCard(16, order.id, paymentKey).expect(503);
    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);
    // The cancellation is requested but does not land yet: the gateway refuses it, and its retry is put off.
    pg.behave(paymentKey, { kind: 'cancel-fails', times: 1_000 });
    const cancellation = `consumer = 'gateway-cancellation' AND aggregate_id = ${order.id} AND status = 'PENDING'`;
    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 1 });
    await t.db.query(`UPDATE outbox_events SET next_attempt_at = now() + interval '1 hour' WHERE ${cancellation}`);

    const res = await payByCard(16, order.id, paymentKey).expect(503);
    expect(res.body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    expect(await s.state(16, order.id)).toMatchObject({ order: { status: 'PENDING' } });
    expect((await attempts(16, order.id)).map((a) => [a.status, a.failureCode])).toEqual(expect.arrayContaining([['FAILED', 'CANCELED']]));
    expect((await attempts(16, order.id)).some((a) => a.status === 'COMPLETED')).toBe(false);

    // The cancellation lands: no charge stands, the order is still payable.
    pg.behave(paymentKey, { kind: 'approve' });
    await t.db.query(`UPDATE outbox_events SET next_attempt_at = now() WHERE ${cancellation}`);
    await until(() => pg.payments().find((p) => p.paymentKey === paymentKey)?.status === 'CANCELED', 5_000);
    await until(async () => (await attempts(16, order.id)).some((a) => a.status === 'CANCELLED'), 5_000);
    expect(await s.state(16, order.id)).toMatchObject({ order: { status: 'PENDING' } });
  });

  it('approved, but the answer was lost on the way: the lookup finds it DONE, 201, one charge', async () => {
    const { order } = await placeOrder(16);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'lost-answer', answer: 'destroy' });
    const res = await payByCard(16, order.id, paymentKey).expect(201);
    expect(res.body.status).toBe('COMPLETED');
    expect(pg.payments().filter((p) => p.status === 'DONE')).toHaveLength(1);
    expect(await s.state(16, order.id)).toMatchObject({ order: { status: 'PAID' }, payments: 1 });
  });

  it('an idempotent replay answers the first response with one confirm', async () => {
    const { order } = await placeOrder(10);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000);
    const first = await payByCard(10, order.id, paymentKey, { 'Idempotency-Key': 'card-once' }).expect(201);
    const again = await payByCard(10, order.id, paymentKey, { 'Idempotency-Key': 'card-once' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(confirms(order.id)).toHaveLength(1);
  });

  it('a 202 is replayed as a 202, and a decline as a 402', async () => {
    const { order } = await placeOrder(11);
    const declined = pg.checkout(`order-${order.id}`, 10_000, { kind: 'decline', code: 'REJECT_CARD_COMPANY' });
    const refusal = await payByCard(11, order.id, declined, { 'Idempotency-Key': 'declined' }).expect(402);
    const replayed = await payByCard(11, order.id, declined, { 'Idempotency-Key': 'declined' }).expect(402);
    expect(replayed.body).toEqual(refusal.body);

    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'hang' });
    const paying = payByCard(11, order.id, paymentKey, { 'Idempotency-Key': 'unknown' }).then((r) => r);
    await until(() => confirms(order.id).length === 2, 2_000);
    await pg.down('503');
    let first;
    try {
      first = await paying;
    } finally {
      await pg.up();
    }
    expect(first.status).toBe(202);
    const again = await payByCard(11, order.id, paymentKey, { 'Idempotency-Key': 'unknown' }).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(confirms(order.id)).toHaveLength(2);
  });

  it('a cancellation failing every retry ends CANCEL_FAILED, alerts a local webhook, and raises OUTBOX_DEAD_LETTER', async () => {
    const { order } = await placeOrder(12);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 300 });
    await payByCard(12, order.id, paymentKey).expect(503);
    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);
    pg.behave(paymentKey, { kind: 'cancel-fails', times: -1 });
    await reconcile();

    await until(async () => (await attempts(12, order.id))[0].status === 'CANCEL_FAILED', 10_000);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel')).map((c) => c.status)).toEqual([500, 500, 500]);
    await until(() => alerts.accepted.some((a) => a.body.alert === 'PG_CANCEL_FAILED' && a.body.orderId === order.id), 5_000);
    const alert = alerts.accepted.find((a) => a.body.alert === 'PG_CANCEL_FAILED' && a.body.orderId === order.id)!;
    expect(alert.body).toEqual({
      alert: 'PG_CANCEL_FAILED',
      severity: 'critical',
      message: expect.stringContaining('could not be cancelled'),
      text: expect.stringContaining('PG_CANCEL_FAILED'),
      orderId: order.id,
      paymentId: expect.any(Number),
      refundId: null,
      occurredAt: expect.any(String),
    });
    expect(alert.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    await until(() => alerts.accepted.some((a) => a.body.alert === 'OUTBOX_DEAD_LETTER' && a.body.orderId === order.id), 5_000);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox_events WHERE consumer = 'gateway-cancellation' AND status = 'DEAD'`);
    expect(count).toBe(1);
  });

  it('validates the method: CARD needs a paymentKey, BALANCE refuses one', async () => {
    const { order } = await placeOrder(13);
    const missing = await t.http().post('/payments').set(bearer(t.token(13))).send({ orderId: order.id, method: 'CARD' }).expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    const extra = await t.http().post('/payments').set(bearer(t.token(13))).send({ orderId: order.id, paymentKey: 'x' }).expect(400);
    expect(extra.body.code).toBe('VALIDATION_FAILED');
    const tooLong = await payByCard(13, order.id, 'k'.repeat(201)).expect(400);
    expect(tooLong.body.code).toBe('VALIDATION_FAILED');
    expect(await attempts(13, order.id)).toEqual([]);
  });

  it("someone else's order answers 404 before anything reaches the gateway", async () => {
    const { order } = await placeOrder(14);
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000);
    expect((await payByCard(15, order.id, paymentKey).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await t.http().get(`/orders/${order.id}/payments`).set(bearer(t.token(15))).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect(pg.calls).toEqual([]);
  });

  it('reports payments by method and result, gateway calls by operation and outcome, attempts processing and failed cancellations', async () => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const value = (line: string) => Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1]);
    expect(value('payments_total{method="CARD",result="PAID"}')).toBeGreaterThanOrEqual(5);
    expect(value('payments_total{method="CARD",result="CARD_DECLINED"}')).toBeGreaterThanOrEqual(3);
    expect(value('payments_total{method="CARD",result="PROCESSING"}')).toBeGreaterThanOrEqual(3);
    expect(value('payment_gateway_call_duration_seconds_count{operation="confirm",outcome="APPROVED"}')).toBeGreaterThanOrEqual(4);
    expect(value('payment_gateway_call_duration_seconds_count{operation="lookup",outcome="NOT_FOUND"}')).toBeGreaterThanOrEqual(2);
    expect(value('payment_gateway_call_duration_seconds_count{operation="cancel",outcome="FAILED"}')).toBe(3);
    expect(value('payment_gateway_cancellations_failed_total')).toBe(1);
    const [{ processing }] = await t.db.query(`SELECT count(*)::int AS processing FROM payments WHERE status = 'PROCESSING'`);
    expect(value('card_payments_processing')).toBe(processing);
  });
});
