import { GatewayTestApp } from '../support/gateway-app';
import { lockWaiters, metricValue, OrderRowLock, outboxDrained, RefundView } from '../support/gateway-books';
import { until } from '../support/http';
import { Receiver } from '../support/receiver';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_webhooks_e2e';
/** Long enough that a test can take the gateway down while a confirm is still on its way. */
const TIMEOUT_MS = 1_500;
const MAX_ATTEMPTS = 3;

interface WebhookRow {
  id: number;
  kind: string;
  result: string | null;
  status: string | null;
}

/**
 * API.md "Webhooks from the gateway" and "Cancellations the shop did not make": the gateway's
 * webhooks, sent by the simulator over HTTP to the running app, stored and answered at once,
 * then acted on by what a re-read of the payment says.
 */
describe('webhooks from the payment gateway (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS, { webhookRetryDelaysMs: [100, 200, 400] });
  const { pg, alerts } = gateway;
  const dataPlatform = new Receiver();
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await dataPlatform.up();
    ({ t, s } = await gateway.start({ OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS), DATA_PLATFORM_URL: dataPlatform.url }));
    pg.webhookUrl = `${t.baseUrl}/webhooks/payment-gateway`;
  });
  afterEach(async () => {
    // Nothing of one test spills into the next: its webhooks answered, its outbox delivered.
    await pg.holdWebhooks(false);
    await pg.up();
    pg.delayMs = 0;
    await pg.webhooksIdle();
    await outboxDrained(t);
    pg.reset();
  });
  afterAll(async () => {
    await gateway.stop();
    await dataPlatform.down();
  });

  const admin = () => bearer(t.token(900_000, 'admin'));
  const payByCard = (userId: number, orderId: number, paymentKey: string) =>
    t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId, method: 'CARD', paymentKey });
  const orderOf = async (userId: number, orderId: number) => (await t.http().get(`/orders/${orderId}`).set(bearer(t.token(userId))).expect(200)).body;
  const attempts = async (userId: number, orderId: number) =>
    (await t.http().get(`/orders/${orderId}/payments`).set(bearer(t.token(userId))).expect(200)).body as { id: number; status: string; failureCode: string | null }[];
  const refundsOf = async (orderId: number) => (await t.http().get(`/admin/orders/${orderId}/refunds`).set(admin()).expect(200)).body as RefundView[];
  const refund = (orderId: number, body: Record<string, unknown>) => t.http().post(`/admin/orders/${orderId}/refunds`).set(admin()).send(body);
  const postWebhook = (body: string | object) => t.http().post('/webhooks/payment-gateway').set('Content-Type', 'application/json').send(body as object);
  const webhooksOf = (paymentKey: string): Promise<WebhookRow[]> =>
    t.db.query(`SELECT id::int, kind, result, body->'data'->>'status' AS status FROM gateway_webhooks WHERE payment_key = $1 ORDER BY id`, [paymentKey]);
  const storedWebhooks = async () => (await t.db.query(`SELECT count(*)::int AS n FROM gateway_webhooks`))[0].n as number;
  const gatewayPayment = (paymentKey: string) => pg.payments().find((p) => p.paymentKey === paymentKey)!;
  const ordersPaid = async (orderId: number) =>
    (await t.db.query(`SELECT count(DISTINCT event_id)::int AS n FROM outbox_events WHERE event_type = 'order.processed' AND aggregate_id = $1`, [orderId]))[0].n as number;
  const exported = (orderId: number, eventType: string) => [...dataPlatform.distinct().values()].filter((r) => r.body.orderId === orderId && r.body.eventType === eventType);
  const alertsFor = (orderId: number, alert: string) => alerts.accepted.filter((a) => a.body.orderId === orderId && a.body.alert === alert);
  const processed = (paymentKey: string, status: string) => until(async () => (await webhooksOf(paymentKey)).some((w) => w.status === status && w.result === 'PROCESSED'), 10_000);

  /** Two units of 5,000 won on one line: finalAmount 10,000. */
  async function placeOrder(userId: number) {
    const p = await s.product(5_000, [10]);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body as { id: number; finalAmount: number };
    return { order, optionId: p.options[0].id as number };
  }

  /** Paid by card, the approval's own webhook acted on. */
  async function paidByCard(userId: number) {
    const placed = await placeOrder(userId);
    const paymentKey = pg.checkout(`order-${placed.order.id}`, placed.order.finalAmount);
    await payByCard(userId, placed.order.id, paymentKey).expect(201);
    await processed(paymentKey, 'DONE');
    return { ...placed, paymentKey };
  }

  it('answers 200 as soon as the webhook is stored, within 2 s while the gateway is down, and acts on it once the gateway is back, re-reading the payment by its key', async () => {
    const { order, paymentKey } = await paidByCard(1);
    await pg.down('503');
    const callsBefore = pg.calls.length;
    pg.consoleCancel(paymentKey, { cancelReason: 'goodwill', cancelAmount: 2_000 });
    await until(() => pg.webhooks.some((w) => w.paymentKey === paymentKey && w.attempts.length > 0 && (w.body as { data: { status: string } }).data.status === 'PARTIAL_CANCELED'), 5_000);
    const [hook] = pg.webhooks.filter((w) => (w.body as { data: { status: string } }).data.status === 'PARTIAL_CANCELED');
    expect(hook.attempts[0]).toMatchObject({ status: 200, error: null });
    expect(hook.attempts[0].ms).toBeLessThan(2_000);
    expect(hook.state).toBe('delivered');

    // The very same body, sent by hand: stored before, answered at once all the same.
    const started = Date.now();
    const again = await postWebhook(hook.body as object).expect(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect((await webhooksOf(paymentKey)).filter((w) => w.status === 'PARTIAL_CANCELED')).toHaveLength(1);

    // Acting on it needs the gateway: retried past OUTBOX_MAX_ATTEMPTS while it is down, never given up on.
    await until(
      async () =>
        (await t.db.query(`SELECT 1 FROM outbox_events WHERE consumer = 'gateway-webhook' AND attempts > $1 AND status = 'PENDING'`, [MAX_ATTEMPTS + 1])).length > 0 ||
        (await t.db.query(`SELECT 1 FROM outbox_events WHERE consumer = 'gateway-webhook' AND status = 'DEAD'`)).length > 0,
      10_000,
    );
    expect(await t.db.query(`SELECT id FROM outbox_events WHERE consumer = 'gateway-webhook' AND status = 'DEAD'`)).toEqual([]);
    expect(await refundsOf(order.id)).toEqual([]);

    await pg.up();
    await until(async () => (await refundsOf(order.id)).length === 1, 10_000);
    const reads = pg.calls.slice(callsBefore).filter((c) => c.status === 200).map((c) => `${c.method} ${c.path}`);
    expect(reads).toContain(`GET /v1/payments/${paymentKey}`);
    expect(pg.calls.some((c) => c.path.startsWith('/v1/payments/orders/'))).toBe(false);
    expect(await orderOf(1, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 2_000 });
    await outboxDrained(t);
    expect(alerts.accepted.filter((a) => a.body.alert === 'OUTBOX_DEAD_LETTER')).toEqual([]);
  });

  it('a partial then a full merchant-console cancel: GATEWAY refunds of their amounts, once per transactionKey however often the webhook comes, PG_EXTERNAL_CANCEL, ORDER_REFUNDED; the shop cannot refund more won than is left', async () => {
    const { order, optionId, paymentKey } = await paidByCard(2);
    const paidAt = (await orderOf(2, order.id)).paidAt;
    pg.consoleCancel(paymentKey, { cancelReason: 'staff cancelled part in the console', cancelAmount: 3_000 });
    await until(async () => (await refundsOf(order.id)).length === 1, 10_000);
    const [partial] = await refundsOf(order.id);
    const cancelKey = gatewayPayment(paymentKey).cancels![0].transactionKey;
    expect(partial).toEqual({
      id: expect.any(Number),
      orderId: order.id,
      amount: 3_000,
      reason: 'cancelled at the payment gateway',
      restock: false,
      source: 'GATEWAY',
      items: [],
      status: 'COMPLETED',
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect((await t.db.query(`SELECT transaction_key AS key FROM refunds WHERE id = $1`, [partial.id]))[0].key).toBe(cancelKey);
    expect(await orderOf(2, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 3_000, paidAt });
    expect(await s.option(optionId)).toEqual({ onHand: 8, reserved: 0 });

    // The gateway's retry of the very same body, and a newer webhook of the same payment: no second refund.
    const [cancelHook] = pg.webhooks.filter((w) => w.paymentKey === paymentKey && (w.body as { data: { status: string } }).data.status === 'PARTIAL_CANCELED');
    const storedBefore = await storedWebhooks();
    pg.resendWebhook(cancelHook.id);
    await pg.webhooksIdle();
    expect(pg.webhooks.at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    expect(await storedWebhooks()).toBe(storedBefore);
    pg.sendStatusWebhook(paymentKey);
    await pg.webhooksIdle();
    await until(async () => (await webhooksOf(paymentKey)).filter((w) => w.status === 'PARTIAL_CANCELED' && w.result === 'PROCESSED').length === 2, 10_000);
    await outboxDrained(t);
    expect((await refundsOf(order.id)).map((r) => r.id)).toEqual([partial.id]);
    expect(await orderOf(2, order.id)).toMatchObject({ refundedAmount: 3_000 });

    await until(() => alertsFor(order.id, 'PG_EXTERNAL_CANCEL').length === 1, 5_000);
    expect(alertsFor(order.id, 'PG_EXTERNAL_CANCEL')[0].body).toMatchObject({ severity: 'warning', refundId: partial.id, message: expect.stringContaining(cancelKey) });
    await until(() => exported(order.id, 'ORDER_REFUNDED').length === 1, 5_000);
    expect(exported(order.id, 'ORDER_REFUNDED')[0].body).toMatchObject({ refundId: partial.id, refundAmount: 3_000, refundItems: [], finalAmount: 10_000 });

    // 7,000 won are left at the gateway: both units (10,000) are more than that; one unit (5,000) is not.
    expect((await refund(order.id, { reason: 'everything' }).expect(409)).body.code).toBe('REFUND_EXCEEDS_PAID');
    const shopRefund = (await refund(order.id, { reason: 'one unit', items: [{ productOptionId: optionId, quantity: 1 }] }).expect(201)).body as RefundView;
    expect(shopRefund).toMatchObject({ amount: 5_000, source: 'SHOP', status: 'COMPLETED' });
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 2_000 });

    // The shop's own cancel comes back as a webhook too: it is the shop's refund, not a cancel from outside.
    await until(async () => (await webhooksOf(paymentKey)).filter((w) => w.status === 'PARTIAL_CANCELED' && w.result === 'PROCESSED').length === 3, 10_000);
    await pg.webhooksIdle();
    await outboxDrained(t);

    pg.consoleCancel(paymentKey, { cancelReason: 'staff cancelled the rest' });
    await until(async () => (await refundsOf(order.id)).length === 3, 10_000);
    await pg.webhooksIdle();
    await outboxDrained(t);
    const refunds = await refundsOf(order.id);
    expect(refunds.map((r) => [r.source, r.amount, r.status])).toEqual([
      ['GATEWAY', 3_000, 'COMPLETED'],
      ['SHOP', 5_000, 'COMPLETED'],
      ['GATEWAY', 2_000, 'COMPLETED'],
    ]);
    expect(await orderOf(2, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 10_000 });
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    await until(() => alertsFor(order.id, 'PG_EXTERNAL_CANCEL').length === 2 && exported(order.id, 'ORDER_REFUNDED').length === 3, 5_000);
    expect(alertsFor(order.id, 'PG_EXTERNAL_CANCEL').map((a) => a.body.refundId as number).sort((a, b) => a - b)).toEqual([partial.id, refunds[2].id]);
    expect(exported(order.id, 'ORDER_REFUNDED').map((r) => [r.body.refundId, r.body.refundAmount]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(refunds.map((r) => [r.id, r.amount]));
    expect((await refund(order.id, { reason: 'again' }).expect(409)).body.code).toBe('ORDER_NOT_REFUNDABLE');
    // Only the shop's own refund went to the gateway; the console's cancels were recorded, never repeated.
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel')).map((c) => c.body)).toEqual([{ cancelReason: 'one unit', cancelAmount: 5_000 }]);
  });

  it('a webhook about a payment the shop does not know: 200, stored and counted as UNKNOWN_PAYMENT', async () => {
    const before = await metricValue(t, 'gateway_webhooks_total', { result: 'UNKNOWN_PAYMENT' });
    // A forged body, and a real approval at the gateway of an order id the shop never issued.
    const forged = pg.sendWebhook({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2024-05-01T12:00:00.000000', data: { paymentKey: 'tsim_nobody_knows', orderId: 'order-nobody', status: 'DONE' } });
    const strangerKey = pg.checkout('stranger-order-1', 4_000);
    const confirmed = await fetch(`${pg.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paymentKey: strangerKey, orderId: 'stranger-order-1', amount: 4_000 }),
    });
    expect(confirmed.status).toBe(200);
    await pg.webhooksIdle();
    expect(pg.webhooks.find((w) => w.id === forged)!.attempts.map((a) => a.status)).toEqual([200]);
    expect(pg.webhooks.find((w) => w.paymentKey === strangerKey)!.attempts.map((a) => a.status)).toEqual([200]);

    await until(async () => (await webhooksOf(strangerKey)).some((w) => w.result !== null) && (await webhooksOf('tsim_nobody_knows')).some((w) => w.result !== null), 5_000);
    expect((await webhooksOf('tsim_nobody_knows')).map((w) => w.result)).toEqual(['UNKNOWN_PAYMENT']);
    expect((await webhooksOf(strangerKey)).map((w) => w.result)).toEqual(['UNKNOWN_PAYMENT']);
    expect(await metricValue(t, 'gateway_webhooks_total', { result: 'UNKNOWN_PAYMENT' })).toBe(before + 2);
    expect(await t.db.query(`SELECT 1 FROM payments WHERE payment_key = $1`, [strangerKey])).toEqual([]);
  });

  it('refuses what is not a webhook: not JSON, not an object, no paymentKey or orderId to go by: 400, nothing stored', async () => {
    const before = await storedWebhooks();
    const bodies: (string | object)[] = [
      'not json{',
      '[1, 2]',
      '"a string"',
      '42',
      'null',
      {},
      { eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2024-05-01T12:00:00.000000' },
      { eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2024-05-01T12:00:00.000000', data: [] },
      { eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2024-05-01T12:00:00.000000', data: { status: 'DONE', totalAmount: 1_000 } },
      { createdAt: '2024-05-01T12:00:00.000000', secret: 'ps_x', status: 'DONE', transactionKey: 'tx' },
    ];
    for (const body of bodies) {
      const res = await postWebhook(body);
      expect({ body, status: res.status, statusCode: res.body.statusCode }).toEqual({ body, status: 400, statusCode: 400 });
    }
    // The same from the gateway's side of the wire.
    const raw = pg.sendWebhook('{"eventType": "PAYMENT_STATUS_CHANGED", "data": ');
    await pg.webhooksIdle();
    expect(pg.webhooks.find((w) => w.id === raw)!.attempts[0].status).toBe(400);
    expect(await storedWebhooks()).toBe(before);
    expect(await metricValue(t, 'gateway_webhooks_total', { result: 'INVALID' })).toBeGreaterThanOrEqual(bodies.length - 5);
  });

  it.each([
    ['answered 500', { kind: 'late-approval', lateMs: 600, answer: 500 } as const, 800],
    ['hung (no answer within PG_TIMEOUT_MS)', { kind: 'late-approval', lateMs: TIMEOUT_MS + 800, answer: 'timeout' } as const, 0],
  ])('a PROCESSING attempt (confirm %s, lookup unanswered: 202) is completed by the webhook of its approval', async (_, behaviour, delayMs) => {
    const userId = delayMs > 0 ? 10 : 11;
    const { order } = await placeOrder(userId);
    const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, behaviour);
    pg.delayMs = delayMs;
    const paying = payByCard(userId, order.id, paymentKey).then((r) => r);
    await until(() => pg.calls.some((c) => c.path === '/v1/payments/confirm'), 2_000);
    // The confirm is on its way: the lookup that follows its unknown outcome will find the gateway down.
    await pg.down('503');
    const res = await paying;
    await pg.up();
    pg.delayMs = 0;
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'PROCESSING', completedAt: null });
    expect(pg.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `POST /v1/payments/confirm ${behaviour.answer === 500 ? 500 : null}`,
      `GET /v1/payments/${paymentKey} 503`,
    ]);
    expect(await orderOf(userId, order.id)).toMatchObject({ status: 'PAYING' });

    // No reconciler runs in this file (PG_RECONCILE_INTERVAL_MS=0): the webhook alone completes it.
    await until(async () => (await attempts(userId, order.id))[0].status === 'COMPLETED', 10_000);
    expect(await orderOf(userId, order.id)).toMatchObject({ status: 'PAID' });
    expect(pg.calls.slice(2).map((c) => `${c.method} ${c.path} ${c.status}`)).toContain(`GET /v1/payments/${paymentKey} 200`);
    expect((await webhooksOf(paymentKey)).map((w) => [w.status, w.result])).toEqual([['DONE', 'PROCESSED']]);
    const payment = (await t.http().get(`/payments/${res.body.id}`).set(bearer(t.token(userId))).expect(200)).body;
    expect(payment).toMatchObject({ status: 'COMPLETED', approvalNumber: gatewayPayment(paymentKey).card!.approveNo });
    await outboxDrained(t);
    expect(await ordersPaid(order.id)).toBe(1);
    expect(exported(order.id, 'ORDER_PAID')).toHaveLength(1);
  });

  it("the approval's webhook and the request's own phase 3 settle at the same moment: one settlement, PAID once, one ORDER_PAID, one standing charge", async () => {
    const { order, optionId } = await placeOrder(12);
    const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, { kind: 'slow', delayMs: 500 });
    await pg.holdWebhooks();
    const paying = payByCard(12, order.id, paymentKey).then((r) => r);
    // Phase 1 has committed once the confirm is at the gateway: the order's row is taken from here on.
    await until(() => pg.calls.some((c) => c.path === '/v1/payments/confirm'), 2_000);
    const lock = await OrderRowLock.take(t, order.id);
    try {
      // The approval is made (its webhook held) and the request's phase 3 waits for the row...
      await until(() => pg.webhooks.some((w) => w.paymentKey === paymentKey && w.state === 'held'), 5_000);
      await until(async () => (await lockWaiters(t)) === 1, 5_000);
      // ...then the webhook comes, is stored, and its re-read's settlement waits for the row too.
      const [released] = await pg.releaseWebhooks();
      expect(released.attempts[0].status).toBe(200);
      await until(async () => (await lockWaiters(t)) === 2, 5_000);
    } finally {
      await lock.release();
    }
    const res = await paying;
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'COMPLETED' });
    await processed(paymentKey, 'DONE');
    await outboxDrained(t);

    expect((await attempts(12, order.id)).map((a) => a.status)).toEqual(['COMPLETED']);
    expect(await orderOf(12, order.id)).toMatchObject({ status: 'PAID' });
    expect(await s.option(optionId)).toEqual({ onHand: 8, reserved: 0 });
    expect(await ordersPaid(order.id)).toBe(1);
    expect(exported(order.id, 'ORDER_PAID')).toHaveLength(1);
    expect(pg.payments().filter((p) => p.orderId === `order-${order.id}` && (p.status === 'DONE' || p.status === 'PARTIAL_CANCELED'))).toHaveLength(1);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
  });

  it('DONE for an attempt the shop had ended (FAILED, watched): the webhook alone cancels it at the gateway as a late approval', async () => {
    const { order, optionId } = await placeOrder(13);
    const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, { kind: 'late-approval', lateMs: 600 });
    expect((await payByCard(13, order.id, paymentKey).expect(503)).body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    expect((await attempts(13, order.id))[0]).toMatchObject({ status: 'FAILED', failureCode: 'NOT_FOUND_PAYMENT' });

    await until(async () => (await attempts(13, order.id))[0].status === 'CANCELLED', 10_000);
    expect(gatewayPayment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`)).toHaveLength(1);
    expect((await webhooksOf(paymentKey)).map((w) => w.status)).toEqual(expect.arrayContaining(['DONE']));
    expect(await orderOf(13, order.id)).toMatchObject({ status: 'PENDING' });
    expect(await s.option(optionId)).toEqual({ onHand: 10, reserved: 2 });
    expect(await refundsOf(order.id)).toEqual([]);
  });

  it('a webhook naming an attempt whose confirm is still on its way does not end it: the request pays the order', async () => {
    const { order } = await placeOrder(14);
    const paymentKey = pg.checkout(`order-${order.id}`, order.finalAmount, { kind: 'slow', delayMs: 800 });
    const paying = payByCard(14, order.id, paymentKey).then((r) => r);
    await until(() => pg.calls.some((c) => c.path === '/v1/payments/confirm'), 2_000);
    // Anyone can post to the webhook URL; and the gateway does not know the payment yet (404).
    pg.sendWebhook({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2024-05-01T12:00:00.000000', data: { paymentKey, orderId: `order-${order.id}`, status: 'DONE' } });
    await until(async () => (await webhooksOf(paymentKey)).some((w) => w.result !== null), 5_000);
    const res = await paying;
    expect({ status: res.status, payment: res.body.status }).toEqual({ status: 201, payment: 'COMPLETED' });
    expect(await orderOf(14, order.id)).toMatchObject({ status: 'PAID' });
    expect(gatewayPayment(paymentKey).status).toBe('DONE');
  });
});
