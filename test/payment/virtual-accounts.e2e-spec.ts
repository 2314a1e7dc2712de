import { ExpireOrdersUseCase } from '../../src/order/application/expire-orders.use-case';
import { ReconcileGatewayPaymentsUseCase } from '../../src/payment/application/reconcile-gateway-payments.use-case';
import { CheckoutOptions } from '../../tools/pg-simulator';
import { GatewayTestApp } from '../support/gateway-app';
import { outboxDrained, RefundView } from '../support/gateway-books';
import { until } from '../support/http';
import { NatsClient, NatsServer } from '../support/nats';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_virtual_accounts_e2e';
const TIMEOUT_MS = 400;
const STREAM = 'SHOP_ORDERS_VA_E2E';
const REFUND_ACCOUNT = { bank: '20', accountNumber: '1002123456789', holderName: '김토스' };

interface PaymentView {
  id: number;
  orderId: number;
  method: string;
  status: string;
  failureCode: string | null;
  paymentKey: string | null;
  virtualAccount: { accountNumber: string; bankCode: string; customerName: string; dueDate: string } | null;
  completedAt: string | null;
}

/**
 * API.md "Gateway methods" (virtual accounts), "Webhooks from the gateway" (the deposit
 * callback), "Refunds" (refundReceiveAccount), "Reconciliation" and "Event log": a virtual
 * account issued by the simulator over HTTP, paid into, closed, expired and refunded, with the
 * shop's books, the gateway's books and the NATS stream checked after each. Webhooks are held by
 * the simulator unless a test releases them, so each test chooses the word the shop gets.
 */
describe('virtual accounts through the payment gateway (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS, { webhookRetryDelaysMs: [] });
  const { pg, alerts } = gateway;
  const nats = new NatsServer();
  let client: NatsClient;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await nats.start();
    ({ t, s } = await gateway.start({ NATS_URL: nats.url, EVENT_LOG_STREAM: STREAM }));
    pg.webhookUrl = `${t.baseUrl}/webhooks/payment-gateway`;
    client = await NatsClient.connect(nats.url);
  });
  beforeEach(() => pg.holdWebhooks(true));
  afterEach(async () => {
    pg.discardWebhooks();
    await pg.up();
    await pg.webhooksIdle();
    await outboxDrained(t);
    pg.reset();
  });
  afterAll(async () => {
    await client?.close();
    await gateway.stop();
    await nats.destroy();
  });

  const admin = () => bearer(t.token(900_000, 'admin'));
  const reconcile = () => t.app.get(ReconcileGatewayPaymentsUseCase).execute();
  const payByAccount = (userId: number, orderId: number, paymentKey: string) =>
    t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId, method: 'VIRTUAL_ACCOUNT', paymentKey });
  const cancel = (userId: number, orderId: number) => t.http().post(`/orders/${orderId}/cancel`).set(bearer(t.token(userId)));
  const orderOf = async (userId: number, orderId: number) => (await t.http().get(`/orders/${orderId}`).set(bearer(t.token(userId))).expect(200)).body;
  const attempts = async (userId: number, orderId: number) => (await t.http().get(`/orders/${orderId}/payments`).set(bearer(t.token(userId))).expect(200)).body as PaymentView[];
  const refundsOf = async (orderId: number) => (await t.http().get(`/admin/orders/${orderId}/refunds`).set(admin()).expect(200)).body as RefundView[];
  const gatewayPayment = (paymentKey: string) => pg.payments().find((p) => p.paymentKey === paymentKey)!;
  const postWebhook = (body: object) => t.http().post('/webhooks/payment-gateway').set('Content-Type', 'application/json').send(body);
  const storedWebhooks = async () => (await t.db.query(`SELECT count(*)::int AS n FROM gateway_webhooks`))[0].n as number;
  const webhooksSettled = () => until(async () => (await t.db.query(`SELECT 1 FROM gateway_webhooks WHERE result IS NULL`)).length === 0, 10_000);
  /** The order's messages on the stream, in stream order, once everything of it is relayed. */
  async function logOf(orderId: number) {
    await outboxDrained(t, 15_000);
    return (await client.messages(STREAM)).filter((m) => m.body.orderId === orderId);
  }
  const paidEvents = async (orderId: number) =>
    (await t.db.query(`SELECT count(DISTINCT event_id)::int AS n FROM outbox_events WHERE event_type = 'order.processed' AND aggregate_id = $1`, [orderId]))[0].n as number;

  /** A one-unit order of a 10,000 won product with a 1,000 won coupon (9,000 to pay), its virtual account issued. */
  async function issued(userId: number, options: CheckoutOptions = {}) {
    const p = await s.product(10_000, [5]);
    const userCouponId = await s.issue(userId, (await s.coupon({ discountType: 'FIXED', discountValue: 1_000 })).id);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body as { id: number; finalAmount: number };
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'VIRTUAL_ACCOUNT', ...options });
    const payment = (await payByAccount(userId, order.id, paymentKey).expect(202)).body as PaymentView;
    return { order, optionId: p.options[0].id as number, userCouponId, paymentKey, payment };
  }

  /** Paid into the account, the shop told by nothing yet: the webhooks' ids, status one first. */
  function depositUnseen(paymentKey: string) {
    const { webhookIds } = pg.deposit(paymentKey);
    expect(webhookIds).toHaveLength(2);
    return { statusChanged: webhookIds[0], callback: webhookIds[1] };
  }

  async function expectPaidOnce(userId: number, placed: Awaited<ReturnType<typeof issued>>) {
    const { order, optionId, paymentKey, payment } = placed;
    expect(await s.state(userId, order.id)).toMatchObject({ order: { status: 'PAID', paid: true }, coupon: 'USED', payments: 1, balance: 0, logs: [] });
    expect(await s.option(optionId)).toEqual({ onHand: 4, reserved: 0 });
    const [completed] = await attempts(userId, order.id);
    expect(completed).toMatchObject({ id: payment.id, method: 'VIRTUAL_ACCOUNT', status: 'COMPLETED', completedAt: expect.any(String), virtualAccount: payment.virtualAccount });
    const [row] = await t.db.query(`SELECT approval_key AS "approvalKey" FROM payments WHERE id = $1`, [payment.id]);
    expect(row.approvalKey).toBe(gatewayPayment(paymentKey).lastTransactionKey);
    expect(await paidEvents(order.id)).toBe(1);
    const log = await logOf(order.id);
    expect(log.map((m) => m.body.eventType)).toEqual(['ORDER_PAID']);
    expect(log[0].body).toMatchObject({ paymentId: payment.id, paymentMethod: 'VIRTUAL_ACCOUNT', finalAmount: 9_000 });
    expect(log[0].subject).toBe(`shop.orders.${order.id}.paid`);
  }

  it('issues an account: 202 AWAITING_DEPOSIT with the account, the order holding stock and coupon, not expired by ORDER_TTL_SECONDS, not payable again', async () => {
    const placed = await issued(1, { bank: '88', customerName: '홍길동' });
    const { order, optionId, userCouponId, paymentKey, payment } = placed;
    const account = gatewayPayment(paymentKey).virtualAccount!;
    expect(gatewayPayment(paymentKey).status).toBe('WAITING_FOR_DEPOSIT');
    expect(payment).toEqual({
      id: expect.any(Number),
      orderId: order.id,
      userId: 1,
      amount: 9_000,
      method: 'VIRTUAL_ACCOUNT',
      status: 'AWAITING_DEPOSIT',
      approvalNumber: null,
      failureCode: null,
      paymentKey,
      gatewayOrderId: `order-${order.id}`,
      easyPayProvider: null,
      virtualAccount: { accountNumber: account.accountNumber, bankCode: '88', customerName: '홍길동', dueDate: new Date(account.dueDate).toISOString() },
      createdAt: expect.any(String),
      completedAt: null,
    });
    // The gateway's secret is the shop's to check callbacks with, never shown.
    expect(JSON.stringify(payment)).not.toContain(gatewayPayment(paymentKey).secret!);
    expect(await s.state(1, order.id)).toMatchObject({ order: { status: 'AWAITING_DEPOSIT', paid: false }, coupon: 'HELD' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });

    // Past its ORDER_TTL_SECONDS, but the account is due only in 7 days: the expiry job leaves it alone.
    await t.db.query(`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1`, [order.id]);
    await t.app.get(ExpireOrdersUseCase).execute(100);
    expect((await orderOf(1, order.id)).status).toBe('AWAITING_DEPOSIT');
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });

    expect((await s.pay(1, order.id).expect(409)).body.code).toBe('PAYMENT_IN_PROGRESS');
    expect((await payByAccount(1, order.id, pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'VIRTUAL_ACCOUNT' })).expect(409)).body.code).toBe('PAYMENT_IN_PROGRESS');
    // The coupon is held for this order: another order naming it cannot be paid with it.
    const p = await s.product(2_000, [5]);
    const other = (await s.order(1, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
    await s.charge(1, 5_000);
    expect((await s.pay(1, other.id).expect(409)).body.code).toBe('COUPON_NOT_AVAILABLE');
    expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });
    expect((await orderOf(1, order.id)).status).toBe('AWAITING_DEPOSIT');
  });

  it('the deposit callback with the right secret pays the order once; a forged secret is 401 and settles nothing', async () => {
    const placed = await issued(2);
    const { order, paymentKey } = placed;
    const { statusChanged, callback } = depositUnseen(paymentKey);
    pg.discardWebhooks([statusChanged]);
    const genuine = pg.webhooks.find((w) => w.id === callback)!.body as Record<string, unknown>;
    expect(genuine).toMatchObject({ secret: gatewayPayment(paymentKey).secret, status: 'DONE', orderId: `order-${order.id}` });

    const before = await storedWebhooks();
    const forged = await postWebhook({ ...genuine, secret: 'ps_forged' }).expect(401);
    expect(forged.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    expect(await postWebhook({ ...genuine, secret: undefined }).expect(401)).toBeTruthy();
    expect(await storedWebhooks()).toBe(before);
    await outboxDrained(t);
    expect(await s.state(2, order.id)).toMatchObject({ order: { status: 'AWAITING_DEPOSIT' }, coupon: 'HELD' });
    expect(pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}`)).toEqual([]);

    const [delivered] = await pg.releaseWebhooks([callback]);
    expect(delivered.attempts[0]).toMatchObject({ status: 200 });
    await until(async () => (await orderOf(2, order.id)).status === 'PAID', 10_000);
    // The gateway resends it: stored once, no second effect.
    pg.resendWebhook(callback);
    pg.sendStatusWebhook(paymentKey, 'DEPOSIT_CALLBACK');
    await pg.webhooksIdle();
    await webhooksSettled();
    await expectPaidOnce(2, placed);
  });

  it('the PAYMENT_STATUS_CHANGED webhook alone pays it, as does the reconciler\'s own lookup when no webhook ever comes', async () => {
    const byWebhook = await issued(3);
    const { statusChanged, callback } = depositUnseen(byWebhook.paymentKey);
    pg.discardWebhooks([callback]);
    await pg.releaseWebhooks([statusChanged]);
    await until(async () => (await orderOf(3, byWebhook.order.id)).status === 'PAID', 10_000);
    await webhooksSettled();
    await expectPaidOnce(3, byWebhook);

    const byLookup = await issued(3);
    depositUnseen(byLookup.paymentKey);
    pg.discardWebhooks();
    expect(await reconcile()).toMatchObject({ completed: 1 });
    await expectPaidOnce(3, byLookup);
    expect(await reconcile()).toMatchObject({ completed: 0 });
    expect(await t.db.query(`SELECT 1 FROM gateway_webhooks WHERE payment_key = $1`, [byLookup.paymentKey])).toEqual([]);
  });

  it('customer cancel: the account closed at the gateway first, then stock and coupon released, PAYMENT_FAILED then ORDER_CANCELLED', async () => {
    const { order, optionId, paymentKey, payment } = await issued(4);
    const res = await cancel(4, order.id).expect(200);
    expect(res.body).toMatchObject({ id: order.id, status: 'CANCELLED' });
    const closes = pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`);
    expect(closes).toHaveLength(1);
    expect(closes[0].body).toEqual({ cancelReason: expect.any(String) });
    expect(closes[0].status).toBe(200);
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(() => pg.deposit(paymentKey)).toThrow(/closed/);

    expect(await s.state(4, order.id)).toMatchObject({ order: { status: 'CANCELLED', paid: false }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 0 });
    expect(await attempts(4, order.id)).toEqual([expect.objectContaining({ id: payment.id, status: 'CANCELLED', method: 'VIRTUAL_ACCOUNT' })]);
    const log = await logOf(order.id);
    expect(log.map((m) => m.body.eventType)).toEqual(['PAYMENT_FAILED', 'ORDER_CANCELLED']);
    expect(log[0].body).toMatchObject({ paymentId: payment.id, paymentMethod: 'VIRTUAL_ACCOUNT', amount: 9_000 });
    expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });
  });

  it('customer cancel while the gateway cannot close the account: 503 and nothing released; once it can, CANCELLED', async () => {
    const { order, optionId, paymentKey } = await issued(5);
    const unchanged = async () => {
      expect(await s.state(5, order.id)).toMatchObject({ order: { status: 'AWAITING_DEPOSIT' }, coupon: 'HELD' });
      expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 1 });
      expect((await attempts(5, order.id))[0].status).toBe('AWAITING_DEPOSIT');
      expect(gatewayPayment(paymentKey).status).toBe('WAITING_FOR_DEPOSIT');
    };
    pg.behave(paymentKey, { kind: 'cancel-fails', times: 1 });
    expect((await cancel(5, order.id).expect(503)).body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    await unchanged();

    await pg.down('503');
    try {
      expect((await cancel(5, order.id).expect(503)).body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    } finally {
      await pg.up();
    }
    await unchanged();
    expect(await logOf(order.id)).toEqual([]);

    expect((await cancel(5, order.id).expect(200)).body.status).toBe('CANCELLED');
    expect(gatewayPayment(paymentKey).status).toBe('CANCELED');
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 0 });
  });

  it('customer cancel after a deposit the shop had not heard of: the order is paid instead, 409 ORDER_NOT_CANCELLABLE', async () => {
    const placed = await issued(6);
    depositUnseen(placed.paymentKey);
    const res = await cancel(6, placed.order.id).expect(409);
    expect(res.body.code).toBe('ORDER_NOT_CANCELLABLE');
    expect(gatewayPayment(placed.paymentKey)).toMatchObject({ status: 'DONE', balanceAmount: 9_000 });
    await expectPaidOnce(6, placed);
    // Paid: the webhooks that come late change nothing.
    await pg.releaseWebhooks();
    await webhooksSettled();
    expect(await paidEvents(placed.order.id)).toBe(1);
  });

  it('the due date passes unpaid: the reconciler closes the account, FAILED VIRTUAL_ACCOUNT_EXPIRED, order EXPIRED, PAYMENT_FAILED then ORDER_EXPIRED, all released', async () => {
    const { order, optionId, paymentKey, payment } = await issued(7, { dueMs: 1_000 });
    expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });
    expect((await orderOf(7, order.id)).status).toBe('AWAITING_DEPOSIT');
    await until(() => Date.now() > Date.parse(payment.virtualAccount!.dueDate), 3_000);

    expect(await reconcile()).toMatchObject({ failed: 1 });
    expect(pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`).map((c) => c.status)).toEqual([200]);
    expect(gatewayPayment(paymentKey).status).toBe('CANCELED');
    expect(await attempts(7, order.id)).toEqual([expect.objectContaining({ status: 'FAILED', failureCode: 'VIRTUAL_ACCOUNT_EXPIRED' })]);
    expect(await s.state(7, order.id)).toMatchObject({ order: { status: 'EXPIRED', paid: false }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 0 });
    const log = await logOf(order.id);
    expect(log.map((m) => m.body.eventType)).toEqual(['PAYMENT_FAILED', 'ORDER_EXPIRED']);
    expect(log[0].body).toMatchObject({ paymentMethod: 'VIRTUAL_ACCOUNT', failureCode: 'VIRTUAL_ACCOUNT_EXPIRED' });
    expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });
  });

  it('an account the gateway itself expired (status EXPIRED) is closed and released by its due date the same way', async () => {
    const { order, optionId, paymentKey } = await issued(8, { dueMs: 1_000, expiresAs: 'EXPIRED' });
    await until(() => gatewayPayment(paymentKey).status === 'EXPIRED', 3_000);
    expect(await reconcile()).toMatchObject({ failed: 1 });
    expect(await attempts(8, order.id)).toEqual([expect.objectContaining({ status: 'FAILED', failureCode: 'VIRTUAL_ACCOUNT_EXPIRED' })]);
    expect(await s.state(8, order.id)).toMatchObject({ order: { status: 'EXPIRED' }, coupon: 'AVAILABLE' });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 0 });
    expect((await logOf(order.id)).map((m) => m.body.eventType)).toEqual(['PAYMENT_FAILED', 'ORDER_EXPIRED']);
  });

  it('refund of a deposited order: 400 REFUND_ACCOUNT_REQUIRED without the account and nothing changed; with it the gateway cancel carries it', async () => {
    const placed = await issued(9);
    depositUnseen(placed.paymentKey);
    expect(await reconcile()).toMatchObject({ completed: 1 });
    const { order, optionId, paymentKey } = placed;
    const callsBefore = pg.calls.length;

    const refused = await t.http().post(`/admin/orders/${order.id}/refunds`).set(admin()).send({ reason: 'changed my mind' }).expect(400);
    expect(refused.body).toEqual({ statusCode: 400, code: 'REFUND_ACCOUNT_REQUIRED', message: expect.any(String) });
    expect(await refundsOf(order.id)).toEqual([]);
    expect(pg.calls.length).toBe(callsBefore);
    expect(await orderOf(9, order.id)).toMatchObject({ status: 'PAID', refundedAmount: 0 });
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'DONE', balanceAmount: 9_000 });

    const res = await t.http().post(`/admin/orders/${order.id}/refunds`).set(admin()).send({ reason: 'changed my mind', refundReceiveAccount: REFUND_ACCOUNT }).expect(201);
    expect(res.body).toMatchObject({ orderId: order.id, amount: 9_000, status: 'COMPLETED', source: 'SHOP' });
    const [cancelCall] = pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`);
    expect(cancelCall.body).toEqual({ cancelReason: 'changed my mind', cancelAmount: 9_000, refundReceiveAccount: REFUND_ACCOUNT });
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(gatewayPayment(paymentKey).virtualAccount).toMatchObject({ refundStatus: 'COMPLETED', refundReceiveAccount: { bankCode: '20', accountNumber: REFUND_ACCOUNT.accountNumber, holderName: REFUND_ACCOUNT.holderName } });
    expect(await orderOf(9, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_000 });
    expect(await s.option(optionId)).toEqual({ onHand: 5, reserved: 0 });
    expect(await s.state(9, order.id)).toMatchObject({ coupon: 'AVAILABLE' });
    expect((await logOf(order.id)).map((m) => m.body.eventType)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);

    // The deposit and its refund are the shop's own, to the won.
    const window = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const report = (await t.http().post('/admin/reconciliations').set(admin()).send(window).expect(201)).body;
    expect(report.mismatches.filter((m: { paymentKey: string }) => m.paymentKey === paymentKey)).toEqual([]);
    // Both within one second: the gateway's list orders them by key then, not by time.
    expect(pg.transactions().filter((x) => x.paymentKey === paymentKey).map((x) => `${x.status} ${x.amount}`).sort()).toEqual(['CANCELED 9000', 'DONE 9000']);
  });

  it('a refund the gateway does not confirm in time is 202 and completed by its retry, which carries the refund account too', async () => {
    const placed = await issued(11);
    depositUnseen(placed.paymentKey);
    expect(await reconcile()).toMatchObject({ completed: 1 });
    pg.behave(placed.paymentKey, { kind: 'cancel-fails', times: 1 });
    const res = await t.http().post(`/admin/orders/${placed.order.id}/refunds`).set(admin()).send({ reason: 'damaged', refundReceiveAccount: REFUND_ACCOUNT }).expect(202);
    expect(res.body.status).toBe('PROCESSING');
    await until(async () => (await refundsOf(placed.order.id))[0]?.status === 'COMPLETED', 15_000);
    const cancels = pg.calls.filter((c) => c.path === `/v1/payments/${placed.paymentKey}/cancel`);
    expect(cancels.map((c) => c.status)).toEqual([500, 200]);
    for (const c of cancels) expect(c.body).toMatchObject({ refundReceiveAccount: REFUND_ACCOUNT });
    expect(gatewayPayment(placed.paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(await orderOf(11, placed.order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_000 });
  });

  it('an account the gateway issued late, for an attempt the shop had given up on, is closed there: nothing can be paid into it', async () => {
    const p = await s.product(10_000, [5]);
    const order = (await s.order(12, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body as { id: number };
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 300 }, { method: 'VIRTUAL_ACCOUNT' });
    expect((await payByAccount(12, order.id, paymentKey).expect(503)).body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    expect((await orderOf(12, order.id)).status).toBe('PENDING');
    await until(() => gatewayPayment(paymentKey).status === 'WAITING_FOR_DEPOSIT', 3_000);

    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 1 });
    await until(async () => (await attempts(12, order.id))[0].status === 'CANCELLED', 5_000);
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(() => pg.deposit(paymentKey)).toThrow(/closed/);
    expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });
    await s.charge(12, 10_000);
    await s.pay(12, order.id).expect(201);
  });

  it('an account issued late is not closed when a retry with the same paymentKey made it the order\'s: the deposit pays the order', async () => {
    const p = await s.product(10_000, [5]);
    const order = (await s.order(13, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body as { id: number };
    const paymentKey = pg.checkout(`order-${order.id}`, 10_000, { kind: 'late-approval', lateMs: 300 }, { method: 'VIRTUAL_ACCOUNT' });
    await payByAccount(13, order.id, paymentKey).expect(503);
    await until(() => gatewayPayment(paymentKey).status === 'WAITING_FOR_DEPOSIT', 3_000);
    // The customer tries again with the same session: the gateway says it was processed, the lookup finds the account.
    expect((await payByAccount(13, order.id, paymentKey).expect(202)).body).toMatchObject({ status: 'AWAITING_DEPOSIT', virtualAccount: { accountNumber: gatewayPayment(paymentKey).virtualAccount!.accountNumber } });

    expect(await reconcile()).toMatchObject({ lateApprovalsCancelled: 0 });
    await outboxDrained(t);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
    expect(gatewayPayment(paymentKey).status).toBe('WAITING_FOR_DEPOSIT');
    expect((await orderOf(13, order.id)).status).toBe('AWAITING_DEPOSIT');

    depositUnseen(paymentKey);
    expect(await reconcile()).toMatchObject({ completed: 1, lateApprovalsCancelled: 0 });
    await outboxDrained(t);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'DONE', balanceAmount: 10_000 });
    expect((await attempts(13, order.id)).map((a) => a.status)).toEqual(['FAILED', 'COMPLETED']);
    expect((await orderOf(13, order.id)).status).toBe('PAID');
  });

  it('reconciliation: a deposit the shop missed is repaired to PAID and then matched; closed and expired accounts are no mismatch', async () => {
    const from = new Date(Date.now() - 60_000);
    const missed = await issued(10);
    depositUnseen(missed.paymentKey);
    const closed = await issued(10);
    await cancel(10, closed.order.id).expect(200);
    const expired = await issued(10, { dueMs: 1_000 });
    await until(() => Date.now() > Date.parse(expired.payment.virtualAccount!.dueDate), 3_000);
    pg.discardWebhooks();
    const to = new Date(Date.now() + 60_000);
    const ours = new Set([missed.paymentKey, closed.paymentKey, expired.paymentKey]);

    const report = (await t.http().post('/admin/reconciliations').set(admin()).send({ from: from.toISOString(), to: to.toISOString() }).expect(201)).body;
    expect(report.mismatches.filter((m: { paymentKey: string }) => ours.has(m.paymentKey))).toEqual([]);
    await expectPaidOnce(10, missed);
    expect(report.matched).toBeGreaterThanOrEqual(1);
    expect((await orderOf(10, closed.order.id)).status).toBe('CANCELLED');

    // The expired one is closed by the reconciler; the next report still finds nothing of the three.
    expect(await reconcile()).toMatchObject({ failed: 1 });
    expect((await orderOf(10, expired.order.id)).status).toBe('EXPIRED');
    const again = (await t.http().post('/admin/reconciliations').set(admin()).send({ from: from.toISOString(), to: to.toISOString() }).expect(201)).body;
    expect(again.mismatches.filter((m: { paymentKey: string }) => ours.has(m.paymentKey))).toEqual([]);
    expect(alerts.accepted.filter((a) => a.body.alert === 'RECONCILIATION_MISMATCH' && [missed, closed, expired].some((x) => a.body.orderId === x.order.id))).toEqual([]);
  });
});
