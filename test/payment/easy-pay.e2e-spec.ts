import { ReconcileGatewayPaymentsUseCase } from '../../src/payment/application/reconcile-gateway-payments.use-case';
import { GatewayTestApp } from '../support/gateway-app';
import { until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_easy_pay_e2e';
const TIMEOUT_MS = 400;

interface PaymentView {
  id: number;
  method: string;
  status: string;
  approvalNumber: string | null;
  failureCode: string | null;
  easyPayProvider: string | null;
  virtualAccount: unknown;
}

/**
 * API.md "Gateway methods": EASY_PAY goes through the card's three phases, and the payment
 * records what the gateway's answer names (method, easyPay.provider, card.approveNo), whatever
 * the client sent. The gateway is the simulator over HTTP.
 */
describe('easy pay through the payment gateway (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS);
  const { pg } = gateway;
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
  const pay = (userId: number, orderId: number, method: string, paymentKey: string) =>
    t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId, method, paymentKey });
  const attempts = async (userId: number, orderId: number) =>
    (await t.http().get(`/orders/${orderId}/payments`).set(bearer(t.token(userId))).expect(200)).body as PaymentView[];
  const stored = async (paymentId: number) =>
    (await t.db.query(`SELECT method, status, approval_number AS "approvalNumber", easy_pay_provider AS "easyPayProvider", approval_key AS "approvalKey" FROM payments WHERE id = $1`, [paymentId]))[0];
  const gatewayPayment = (paymentKey: string) => pg.payments().find((p) => p.paymentKey === paymentKey)!;

  /** One unit of a 10,000 won product, with a 1,000 won FIXED coupon: finalAmount 9,000. */
  async function placeOrder(userId: number) {
    const p = await s.product(10_000, [5]);
    const userCouponId = await s.issue(userId, (await s.coupon({ discountType: 'FIXED', discountValue: 1_000 })).id);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body as { id: number; finalAmount: number };
    return { order, optionId: p.options[0].id as number };
  }

  it('paid from the provider balance: COMPLETED as EASY_PAY with the provider, no approval number, the order PAID, coupon USED, stock sold', async () => {
    const { order, optionId } = await placeOrder(1);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'EASY_PAY', provider: '카카오페이' });

    const res = await pay(1, order.id, 'EASY_PAY', paymentKey).expect(201);
    expect(res.body).toMatchObject({ method: 'EASY_PAY', status: 'COMPLETED', amount: 9_000, approvalNumber: null, easyPayProvider: '카카오페이', virtualAccount: null, paymentKey });
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'DONE', method: '간편결제', card: null, easyPay: { provider: '카카오페이', amount: 9_000 } });
    expect(await stored(res.body.id)).toEqual({
      method: 'EASY_PAY',
      status: 'COMPLETED',
      approvalNumber: null,
      easyPayProvider: '카카오페이',
      approvalKey: gatewayPayment(paymentKey).lastTransactionKey,
    });
    const confirms = pg.calls.filter((c) => c.path === '/v1/payments/confirm');
    expect(confirms.map((c) => c.body)).toEqual([{ paymentKey, orderId: `order-${order.id}`, amount: 9_000 }]);
    expect(await s.state(1, order.id)).toMatchObject({ order: { status: 'PAID', paid: true }, coupon: 'USED', payments: 1 });
    expect(await s.option(optionId)).toEqual({ onHand: 4, reserved: 0 });
    const [{ payload }] = await t.db.query(`SELECT payload FROM outbox_events WHERE event_type = 'order.processed' AND aggregate_id = $1 LIMIT 1`, [order.id]);
    expect(payload).toMatchObject({ paymentId: res.body.id, paymentMethod: 'EASY_PAY' });
  });

  it('paid with a card registered at the provider: EASY_PAY with the provider and the card approval number', async () => {
    const { order } = await placeOrder(2);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'EASY_PAY', provider: '네이버페이', funding: 'card' });
    const res = await pay(2, order.id, 'EASY_PAY', paymentKey).expect(201);
    const approveNo = gatewayPayment(paymentKey).card!.approveNo;
    expect(approveNo).toMatch(/^\d{8}$/);
    expect(res.body).toMatchObject({ method: 'EASY_PAY', status: 'COMPLETED', approvalNumber: approveNo, easyPayProvider: '네이버페이' });
    expect(await stored(res.body.id)).toMatchObject({ method: 'EASY_PAY', approvalNumber: approveNo, easyPayProvider: '네이버페이' });
  });

  it("records the gateway's method, not the client's: sent as CARD, paid by easy pay; sent as EASY_PAY, paid by card", async () => {
    const first = await placeOrder(3);
    const easy = pg.checkout(`order-${first.order.id}`, 9_000, undefined, { method: 'EASY_PAY', provider: '토스페이' });
    const asCard = await pay(3, first.order.id, 'CARD', easy).expect(201);
    expect(asCard.body).toMatchObject({ method: 'EASY_PAY', easyPayProvider: '토스페이', approvalNumber: null });
    expect(await stored(asCard.body.id)).toMatchObject({ method: 'EASY_PAY', easyPayProvider: '토스페이' });

    const second = await placeOrder(3);
    const card = pg.checkout(`order-${second.order.id}`, 9_000);
    const asEasy = await pay(3, second.order.id, 'EASY_PAY', card).expect(201);
    expect(asEasy.body).toMatchObject({ method: 'CARD', easyPayProvider: null, approvalNumber: gatewayPayment(card).card!.approveNo });
    expect(await stored(asEasy.body.id)).toMatchObject({ method: 'CARD', easyPayProvider: null });
    const [{ payload }] = await t.db.query(`SELECT payload FROM outbox_events WHERE event_type = 'order.processed' AND aggregate_id = $1 LIMIT 1`, [second.order.id]);
    expect(payload).toMatchObject({ paymentMethod: 'CARD' });
  });

  it('declined by the provider: 402 CARD_DECLINED with pgCode, FAILED with the code, everything as before, payable again', async () => {
    const { order, optionId } = await placeOrder(4);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, { kind: 'decline', code: 'REJECT_ACCOUNT_PAYMENT', status: 403 }, { method: 'EASY_PAY', provider: '카카오페이' });
    const res = await pay(4, order.id, 'EASY_PAY', paymentKey).expect(402);
    expect(res.body).toEqual({ statusCode: 402, code: 'CARD_DECLINED', pgCode: 'REJECT_ACCOUNT_PAYMENT', message: expect.any(String) });
    expect(await attempts(4, order.id)).toEqual([expect.objectContaining({ method: 'EASY_PAY', status: 'FAILED', failureCode: 'REJECT_ACCOUNT_PAYMENT', easyPayProvider: null })]);
    expect(await s.state(4, order.id)).toMatchObject({ order: { status: 'PENDING', paid: false }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
    expect(gatewayPayment(paymentKey).status).toBe('ABORTED');

    const again = pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'EASY_PAY', provider: '카카오페이' });
    await pay(4, order.id, 'EASY_PAY', again).expect(201);
    expect(await s.state(4, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED' });
  });

  it('timeout, then the lookup finds it DONE: 201 as EASY_PAY with the provider, one lookup by its key', async () => {
    const { order } = await placeOrder(5);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, { kind: 'late-approval', lateMs: 100, answer: 'timeout' }, { method: 'EASY_PAY', provider: '페이코' });
    const res = await pay(5, order.id, 'EASY_PAY', paymentKey).expect(201);
    expect(res.body).toMatchObject({ method: 'EASY_PAY', status: 'COMPLETED', easyPayProvider: '페이코', approvalNumber: null });
    expect(pg.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /v1/payments/confirm', `GET /v1/payments/${paymentKey}`]);
    expect(await s.state(5, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED' });
  });

  it('timeout and nobody can tell: 202 PROCESSING, the order PAYING, then the reconciler completes it with what the gateway names', async () => {
    const { order } = await placeOrder(6);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, { kind: 'late-approval', lateMs: 1_500, answer: 'timeout' }, { method: 'EASY_PAY', provider: '카카오페이' });
    const paying = pay(6, order.id, 'CARD', paymentKey).then((r) => r);
    await until(() => pg.calls.some((c) => c.path === '/v1/payments/confirm'), 2_000);
    await pg.down('503');
    let res;
    try {
      res = await paying;
    } finally {
      await pg.up();
    }
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'PROCESSING', method: 'CARD', easyPayProvider: null });
    // Held for this order while the gateway decides: no other order may use it meanwhile.
    expect(await s.state(6, order.id)).toMatchObject({ order: { status: 'PAYING' }, coupon: 'HELD' });

    await until(() => gatewayPayment(paymentKey).status === 'DONE', 3_000);
    expect(await reconcile()).toMatchObject({ completed: 1 });
    expect(await stored(res.body.id)).toMatchObject({ method: 'EASY_PAY', status: 'COMPLETED', easyPayProvider: '카카오페이', approvalNumber: null });
    expect(await s.state(6, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED', payments: 1 });
  });

  it('gateway down: 503, FAILED GATEWAY_UNREACHABLE, nothing changed', async () => {
    const { order, optionId } = await placeOrder(7);
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'EASY_PAY' });
    await pg.down('refuse');
    try {
      expect((await pay(7, order.id, 'EASY_PAY', paymentKey).expect(503)).body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    } finally {
      await pg.up();
    }
    expect(await attempts(7, order.id)).toEqual([expect.objectContaining({ method: 'EASY_PAY', status: 'FAILED', failureCode: 'GATEWAY_UNREACHABLE' })]);
    expect(await s.state(7, order.id)).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
  });
});
