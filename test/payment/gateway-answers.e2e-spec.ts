import { ReconcileGatewayPaymentsUseCase } from '../../src/payment/application/reconcile-gateway-payments.use-case';
import { GatewayTestApp } from '../support/gateway-app';
import { until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_gateway_answers';
const TIMEOUT_MS = 400;

/**
 * The gateway's word, as the request path hears it (API.md "Checkouts, and the gateway's order
 * id", "Gateway methods", "Idempotency"): every lookup by the attempt's own key, every answer
 * checked, a new gateway order id per checkout, and an Idempotency-Key held for as long as the
 * gateway is asked.
 */
describe("the gateway's answers, checked (e2e)", () => {
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
  const pay = (userId: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.http().post('/payments').set(bearer(t.token(userId))).set(headers).send({ method: 'CARD', ...body });
  const checkout = (userId: number, orderId: number) => t.http().post(`/orders/${orderId}/checkout`).set(bearer(t.token(userId))).send({ method: 'CARD' });
  const attempts = async (userId: number, orderId: number) =>
    (await t.http().get(`/orders/${orderId}/payments`).set(bearer(t.token(userId))).expect(200)).body as { id: number; status: string; failureCode: string | null; gatewayOrderId: string }[];
  const standing = () => pg.payments().filter((p) => p.status === 'DONE' || p.status === 'PARTIAL_CANCELED');
  const drainOutbox = () =>
    until(async () => (await t.db.query(`SELECT 1 FROM outbox_events WHERE status = 'PENDING' AND consumer IN ('gateway-cancellation', 'alert-delivery')`)).length === 0, 5_000);

  async function placeOrder(userId: number, price = 10_000) {
    const p = await s.product(price, [5]);
    return (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body as { id: number; finalAmount: number; expiresAt: string };
  }

  describe('checkouts', () => {
    it('each checkout issues a new gateway order id for the order, with what the widget needs', async () => {
      const order = await placeOrder(1);
      const first = (await checkout(1, order.id).expect(201)).body;
      const second = (await checkout(1, order.id).expect(201)).body;
      expect(first).toEqual({
        orderId: order.id,
        gatewayOrderId: expect.stringMatching(/^[A-Za-z0-9_-]{6,64}$/),
        amount: order.finalAmount,
        orderName: expect.any(String),
        method: 'CARD',
        customerKey: expect.stringMatching(/^[A-Za-z0-9_-]{2,50}$/),
        expiresAt: order.expiresAt,
      });
      expect(second.gatewayOrderId).not.toBe(first.gatewayOrderId);
      expect(second.customerKey).toBe(first.customerKey);
      expect(first.customerKey).not.toContain('1');
      expect((await checkout(2, order.id).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect((await t.http().post(`/orders/${order.id}/checkout`).set(bearer(t.token(1))).send({ method: 'CASH' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('POST /payments confirms with the named checkout, else the latest; an id not issued for the order is 400 UNKNOWN_CHECKOUT', async () => {
      const order = await placeOrder(3);
      const { gatewayOrderId: older } = (await checkout(3, order.id).expect(201)).body;
      const { gatewayOrderId: latest } = (await checkout(3, order.id).expect(201)).body;
      const other = await placeOrder(3);
      const { gatewayOrderId: foreign } = (await checkout(3, other.id).expect(201)).body;

      expect((await pay(3, { orderId: order.id, paymentKey: 'x', gatewayOrderId: foreign }).expect(400)).body.code).toBe('UNKNOWN_CHECKOUT');
      expect((await pay(3, { orderId: order.id, paymentKey: 'x', gatewayOrderId: 'order-never-issued' }).expect(400)).body.code).toBe('UNKNOWN_CHECKOUT');
      expect(await attempts(3, order.id)).toEqual([]);

      const paymentKey = pg.checkout(older, order.finalAmount);
      const res = await pay(3, { orderId: order.id, paymentKey, gatewayOrderId: older }).expect(201);
      expect(res.body).toMatchObject({ status: 'COMPLETED', paymentKey, gatewayOrderId: older });
      expect(pg.calls[0].body).toMatchObject({ orderId: older });

      const paidByLatest = await placeOrder(3);
      const { gatewayOrderId } = (await checkout(3, paidByLatest.id).expect(201)).body;
      const key = pg.checkout(gatewayOrderId, paidByLatest.finalAmount);
      expect((await pay(3, { orderId: paidByLatest.id, paymentKey: key }).expect(201)).body.gatewayOrderId).toBe(gatewayOrderId);
      expect(latest).not.toBe(older);
    });

    it('defect 6: after a late approval was cancelled, a new checkout lets the customer pay by card again', async () => {
      const order = await placeOrder(4);
      const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, { kind: 'late-approval', lateMs: 300 });
      await pay(4, { orderId: order.id, paymentKey }).expect(503);
      await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 3_000);
      expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 1 });
      await drainOutbox();
      expect(standing()).toEqual([]);

      // The gateway refuses a second approval for order-N...
      const again = pg.checkout(`order-${order.id}`, order.finalAmount);
      expect((await pay(4, { orderId: order.id, paymentKey: again }).expect(402)).body.pgCode).toBe('DUPLICATED_ORDER_ID');
      // ...but not for a checkout's new gateway order id.
      const { gatewayOrderId } = (await checkout(4, order.id).expect(201)).body;
      const fresh = pg.checkout(gatewayOrderId, order.finalAmount);
      expect((await pay(4, { orderId: order.id, paymentKey: fresh, gatewayOrderId }).expect(201)).body.status).toBe('COMPLETED');
      expect(standing().map((p) => p.paymentKey)).toEqual([fresh]);
    });
  });

  it('defect 1: two attempts of one order that both time out and are approved late: each judged by its own charge, both cancelled', async () => {
    const order = await placeOrder(5);
    const { gatewayOrderId: firstId } = (await checkout(5, order.id).expect(201)).body;
    const first = pg.checkout(firstId, order.finalAmount, { kind: 'late-approval', lateMs: 400 });
    await pay(5, { orderId: order.id, paymentKey: first, gatewayOrderId: firstId }).expect(503);
    const { gatewayOrderId: secondId } = (await checkout(5, order.id).expect(201)).body;
    const second = pg.checkout(secondId, order.finalAmount, { kind: 'late-approval', lateMs: 400 });
    await pay(5, { orderId: order.id, paymentKey: second, gatewayOrderId: secondId }).expect(503);
    await until(() => standing().length === 2, 3_000);

    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 2 });
    await drainOutbox();
    expect(standing()).toEqual([]);
    expect((await attempts(5, order.id)).map((a) => a.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(pg.calls.filter((c) => c.path.startsWith('/v1/payments/orders/'))).toEqual([]);
    expect(await s.state(5, order.id)).toMatchObject({ order: { status: 'PENDING' } });
  });

  describe('defect 5: an answer that says DONE but does not match is a charge that must not stand', () => {
    it.each([
      ['totalAmount', { kind: 'mismatch', field: 'totalAmount', value: 1 }],
      ['currency', { kind: 'mismatch', field: 'currency', value: 'USD' }],
      ['orderId', { kind: 'mismatch', field: 'orderId', value: 'order-somebody-else' }],
      ['paymentKey', { kind: 'mismatch', field: 'paymentKey', value: 'tsim_somebody_else' }],
    ] as const)('%s: 502 PAYMENT_GATEWAY_ERROR, FAILED GATEWAY_MISMATCH, the order PENDING, the charge cancelled, PG_ANSWER_MISMATCH', async (field, behaviour) => {
      const userId = 10 + ['totalAmount', 'currency', 'orderId', 'paymentKey'].indexOf(field);
      const order = await placeOrder(userId);
      const before = await s.state(userId, order.id);
      const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, behaviour);
      const res = await pay(userId, { orderId: order.id, paymentKey }).expect(502);
      expect(res.body).toEqual({ statusCode: 502, code: 'PAYMENT_GATEWAY_ERROR', message: expect.any(String) });
      expect(await attempts(userId, order.id)).toEqual([expect.objectContaining({ status: 'FAILED', failureCode: 'GATEWAY_MISMATCH' })]);
      expect(await s.state(userId, order.id)).toEqual({ ...before, payments: 1 });
      await drainOutbox();
      expect(pg.payments().find((p) => p.paymentKey === paymentKey)?.status).toBe('CANCELED');
      expect((await attempts(userId, order.id))[0].status).toBe('CANCELLED');
      await until(() => alerts.accepted.some((a) => a.body.alert === 'PG_ANSWER_MISMATCH' && a.body.orderId === order.id), 3_000);
    });
  });

  describe('defect 3: the Idempotency-Key stays taken while the gateway is asked', () => {
    it('a retry with the same key during the confirm answers 409 IDEMPOTENCY_KEY_IN_USE, another body with it 422; the first completes and is replayed', async () => {
      const order = await placeOrder(20);
      const other = await placeOrder(20);
      const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, { kind: 'slow', delayMs: 300 });
      const key = { 'Idempotency-Key': 'card-held-1' };
      const first = pay(20, { orderId: order.id, paymentKey }, key).then((r) => r);
      await until(() => pg.calls.length === 1, 2_000);

      expect((await pay(20, { orderId: order.id, paymentKey }, key).expect(409)).body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect((await s.pay(20, other.id, key).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_MISMATCH');

      const answer = await first;
      expect(answer.status).toBe(201);
      const replay = await pay(20, { orderId: order.id, paymentKey }, key).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(answer.body);
      expect(pg.calls.filter((c) => c.path === '/v1/payments/confirm')).toHaveLength(1);
      expect(await s.state(20, other.id)).toMatchObject({ order: { status: 'PENDING' }, payments: 0 });
    });

    it('a 5xx answer lets the key go: the retry with it runs again', async () => {
      const order = await placeOrder(21);
      const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount);
      const key = { 'Idempotency-Key': 'card-held-2' };
      await pg.down('refuse');
      try {
        expect((await pay(21, { orderId: order.id, paymentKey }, key).expect(503)).body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
      } finally {
        await pg.up();
      }
      expect((await pay(21, { orderId: order.id, paymentKey }, key).expect(201)).body.status).toBe('COMPLETED');
    });
  });
});
