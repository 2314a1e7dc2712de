import { DailyReconciliationJob } from '../../src/reconciliation/application/daily-reconciliation.job';
import { ReconcileGatewayPaymentsUseCase } from '../../src/payment/application/reconcile-gateway-payments.use-case';
import { GatewayTestApp } from '../support/gateway-app';
import { metricValue, outboxDrained, RefundView } from '../support/gateway-books';
import { until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_reconciliation';
const TIMEOUT_MS = 400;
const WATCH_SECONDS = 2;
const DAY_MS = 86_400_000;
const KST_MS = 9 * 3_600_000;

interface Mismatch {
  kind: string;
  paymentKey: string;
  transactionKey: string | null;
  orderId: number | null;
  gatewayAmount: number | null;
  shopAmount: number | null;
  action: string;
}
interface Report {
  id: number;
  from: string;
  to: string;
  gatewayTransactions: number;
  matched: number;
  matchedAmount: number;
  mismatches: Mismatch[];
  createdAt: string;
}

/**
 * API.md "Reconciliation against the gateway's records": the shop's books held against the
 * simulator's transaction list, every kind of mismatch made for real (or, where the gateway
 * cannot be made to forget, by editing the shop's rows), repaired as the contract says, and
 * found matched by the next run. No webhooks are sent in this file: the reconciliation is what
 * finds what nobody told the shop.
 */
describe('reconciliation against the gateway (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS);
  const { pg, alerts } = gateway;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    ({ t, s } = await gateway.start({ PG_WATCH_SECONDS: String(WATCH_SECONDS) }));
  });
  afterEach(async () => {
    await pg.up();
    await outboxDrained(t);
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const admin = () => bearer(t.token(900_000, 'admin'));
  const run = (from: Date | string, to: Date | string, auth = admin()) =>
    t.http().post('/admin/reconciliations').set(auth).send({ from: from instanceof Date ? from.toISOString() : from, to: to instanceof Date ? to.toISOString() : to });
  const reconcileOk = async (from: Date, to: Date) => (await run(from, to).expect(201)).body as Report;
  const reconcilePayments = () => t.app.get(ReconcileGatewayPaymentsUseCase).execute();
  const payByCard = (userId: number, orderId: number, paymentKey: string) => t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId, method: 'CARD', paymentKey });
  const orderOf = async (userId: number, orderId: number) => (await t.http().get(`/orders/${orderId}`).set(bearer(t.token(userId))).expect(200)).body;
  const refundsOf = async (orderId: number) => (await t.http().get(`/admin/orders/${orderId}/refunds`).set(admin()).expect(200)).body as RefundView[];
  const refund = (orderId: number, body: Record<string, unknown>) => t.http().post(`/admin/orders/${orderId}/refunds`).set(admin()).send(body);
  const attempts = async (userId: number, orderId: number) =>
    (await t.http().get(`/orders/${orderId}/payments`).set(bearer(t.token(userId))).expect(200)).body as { id: number; status: string; paymentKey: string | null }[];
  const gatewayPayment = (paymentKey: string) => pg.payments().find((p) => p.paymentKey === paymentKey)!;
  const ledger = (from: Date, to: Date) => pg.transactions().filter((x) => Date.parse(x.transactionAt) >= from.getTime() && Date.parse(x.transactionAt) < to.getTime());
  const mismatchAlerts = (report: Report) => alerts.accepted.filter((a) => a.body.alert === 'RECONCILIATION_MISMATCH' && String(a.body.message).startsWith(`Reconciliation ${report.id} `));
  const byKind = (report: Report) => [...report.mismatches].sort((a, b) => a.kind.localeCompare(b.kind) || (a.orderId ?? 0) - (b.orderId ?? 0));
  const mismatchesCounted = async () => {
    const kinds = ['CHARGE_WITHOUT_PAYMENT', 'CANCEL_WITHOUT_REFUND', 'PAYMENT_WITHOUT_CHARGE', 'AMOUNT_MISMATCH'];
    return Object.fromEntries(await Promise.all(kinds.map(async (kind) => [kind, await metricValue(t, 'reconciliation_mismatches_total', { kind })])));
  };

  /** The start of the next whole second: the gateway's transactionAt is in whole seconds, so a window from here holds only what this test does. */
  async function windowStart(): Promise<Date> {
    await new Promise((r) => setTimeout(r, 1_005 - (Date.now() % 1_000)));
    return new Date(Math.floor(Date.now() / 1_000) * 1_000);
  }
  const windowEnd = () => new Date(Math.ceil((Date.now() + 1) / 1_000) * 1_000 + 1_000);

  async function placeOrder(userId: number, units = 1, price = 10_000) {
    const p = await s.product(price, [10]);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: units }]).expect(201)).body as { id: number; finalAmount: number };
    return { order, optionId: p.options[0].id as number };
  }
  async function paidByCard(userId: number, units = 1) {
    const placed = await placeOrder(userId, units);
    const paymentKey = pg.checkout(`order-${placed.order.id}`, placed.order.finalAmount);
    await payByCard(userId, placed.order.id, paymentKey).expect(201);
    return { ...placed, paymentKey };
  }
  /** A charge the shop never heard of: a session confirmed straight at the gateway. */
  async function strangerCharge(orderId: string, amount: number): Promise<string> {
    const paymentKey = pg.checkout(orderId, amount);
    const res = await fetch(`${pg.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paymentKey, orderId, amount }),
    });
    expect(res.status).toBe(200);
    return paymentKey;
  }

  describe('the routes', () => {
    it('is for admins: 401 without a token, 403 for a user', async () => {
      await t.http().post('/admin/reconciliations').send({ from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z' }).expect(401);
      expect((await run('2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z', bearer(t.token(1))).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.http().get('/admin/reconciliations/1').set(bearer(t.token(1))).expect(403)).body.code).toBe('FORBIDDEN');
      expect(pg.calls).toEqual([]);
    });

    it('refuses windows that are not [from, to) of at most 31 days in ISO time: 400', async () => {
      const cases: [unknown, unknown][] = [
        ['2024-05-02T00:00:00Z', '2024-05-02T00:00:00Z'],
        ['2024-05-02T00:00:00Z', '2024-05-01T00:00:00Z'],
        ['2024-05-01T00:00:00Z', '2024-06-01T00:00:00.001Z'],
        ['yesterday', '2024-05-02T00:00:00Z'],
        ['2024-05-01T00:00:00Z', '2024-13-01T00:00:00Z'],
        [1714521600000, '2024-05-02T00:00:00Z'],
        ['2024-05-01T00:00:00Z', undefined],
        [undefined, undefined],
      ];
      for (const [from, to] of cases) {
        const res = await t.http().post('/admin/reconciliations').set(admin()).send({ from, to });
        expect({ from, to, status: res.status, code: res.body.code }).toEqual({ from, to, status: 400, code: 'VALIDATION_FAILED' });
      }
      const extra = await t.http().post('/admin/reconciliations').set(admin()).send({ from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', repair: false });
      expect(extra.status).toBe(400);
      expect(pg.calls).toEqual([]);
      // Exactly 31 days is allowed (a window long ago: nothing in it).
      const longest = await reconcileOk(new Date('2024-05-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z'));
      expect(longest).toEqual({
        id: expect.any(Number),
        from: '2024-05-01T00:00:00.000Z',
        to: '2024-06-01T00:00:00.000Z',
        gatewayTransactions: 0,
        matched: 0,
        matchedAmount: 0,
        mismatches: [],
        createdAt: expect.any(String),
      });
      expect((await t.http().get(`/admin/reconciliations/${longest.id}`).set(admin()).expect(200)).body).toEqual(longest);
    });

    it('503 PAYMENT_GATEWAY_UNAVAILABLE while the gateway is down, nothing stored; GET of an unknown id: 404 RECONCILIATION_NOT_FOUND', async () => {
      const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM reconciliations`);
      for (const mode of ['503', 'refuse'] as const) {
        await pg.down(mode);
        try {
          const res = await run(new Date(Date.now() - 3_600_000), new Date()).expect(503);
          expect(res.body).toEqual({ statusCode: 503, code: 'PAYMENT_GATEWAY_UNAVAILABLE', message: expect.any(String) });
        } finally {
          await pg.up();
        }
      }
      expect((await t.db.query(`SELECT count(*)::int AS n FROM reconciliations`))[0].n).toBe(before);
      expect((await t.http().get('/admin/reconciliations/999999').set(admin()).expect(404)).body.code).toBe('RECONCILIATION_NOT_FOUND');
      expect((await t.http().get('/admin/reconciliations/abc').set(admin()).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('a window where the books agree: no mismatch; every approval and cancel counted, matched and added up', async () => {
    const from = await windowStart();
    const alertsBefore = alerts.accepted.length;
    const countsBefore = await mismatchesCounted();
    // Paid; paid and partly refunded; a refund whose cancel answer was lost; a late approval cancelled within the watch; a balance order.
    await paidByCard(1);
    const refunded = await paidByCard(1, 2);
    await refund(refunded.order.id, { reason: 'one of two', items: [{ productOptionId: refunded.optionId, quantity: 1 }] }).expect(201);
    const lost = await paidByCard(1, 2);
    pg.behave(lost.paymentKey, { kind: 'cancel-lost', thenFail: 1 });
    await refund(lost.order.id, { reason: 'lost answer', items: [{ productOptionId: lost.optionId, quantity: 1 }] }).expect(202);
    const late = await placeOrder(1);
    const lateKey = pg.checkout(`order-${late.order.id}`, late.order.finalAmount, { kind: 'late-approval', lateMs: 300 });
    await payByCard(1, late.order.id, lateKey).expect(503);
    await until(() => gatewayPayment(lateKey).status === 'DONE', 3_000);
    expect(await reconcilePayments()).toMatchObject({ lateApprovalsCancelled: 1 });
    const balance = await placeOrder(1);
    await s.charge(1, balance.order.finalAmount);
    await s.pay(1, balance.order.id).expect(201);
    await until(async () => (await refundsOf(lost.order.id))[0].status === 'COMPLETED', 10_000);
    await until(() => gatewayPayment(lateKey).status === 'CANCELED', 5_000);
    await outboxDrained(t);
    const to = windowEnd();

    const callsBefore = pg.calls.length;
    const report = await reconcileOk(from, to);
    const listed = ledger(from, to);
    expect(listed.map((x) => x.status).sort()).toEqual(['CANCELED', 'DONE', 'DONE', 'DONE', 'DONE', 'PARTIAL_CANCELED', 'PARTIAL_CANCELED']);
    expect(report).toMatchObject({
      from: from.toISOString(),
      to: to.toISOString(),
      gatewayTransactions: listed.length,
      matched: listed.length,
      matchedAmount: listed.reduce((sum, x) => sum + x.amount, 0),
      mismatches: [],
    });
    expect(await mismatchesCounted()).toEqual(countsBefore);
    await outboxDrained(t);
    expect(alerts.accepted.slice(alertsBefore).filter((a) => a.body.alert === 'RECONCILIATION_MISMATCH')).toEqual([]);
    // Only the list was read: nothing was repaired.
    const made = pg.calls.slice(callsBefore).map((c) => `${c.method} ${c.path.split('?')[0]}`);
    expect(made).toContain('GET /v1/transactions');
    expect(made.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('CHARGE_WITHOUT_PAYMENT: a late approval past PG_WATCH_SECONDS and a charge of a gateway order id the shop never issued are cancelled at the gateway; the next run finds neither', async () => {
    const from = await windowStart();
    const countsBefore = await mismatchesCounted();
    const late = await placeOrder(2);
    const lateKey = pg.checkout(`order-${late.order.id}`, late.order.finalAmount, { kind: 'late-approval', lateMs: WATCH_SECONDS * 1_000 + 700 });
    await payByCard(2, late.order.id, lateKey).expect(503);
    await until(() => gatewayPayment(lateKey).status === 'DONE', (WATCH_SECONDS + 3) * 1_000);
    // The watch is over: the reconciler does not look at it any more.
    expect(await reconcilePayments()).toMatchObject({ lateApprovalsCancelled: 0 });
    const strangerKey = await strangerCharge(`stranger-${late.order.id}`, 7_000);
    const to = windowEnd();

    const report = await reconcileOk(from, to);
    const lateApproval = pg.transactions().find((x) => x.paymentKey === lateKey && x.status === 'DONE')!;
    const strangerApproval = pg.transactions().find((x) => x.paymentKey === strangerKey && x.status === 'DONE')!;
    expect(byKind(report)).toEqual(
      byKind({
        ...report,
        mismatches: [
          { kind: 'CHARGE_WITHOUT_PAYMENT', paymentKey: lateKey, transactionKey: lateApproval.transactionKey, orderId: late.order.id, gatewayAmount: 10_000, shopAmount: null, action: 'CANCELLED' },
          { kind: 'CHARGE_WITHOUT_PAYMENT', paymentKey: strangerKey, transactionKey: strangerApproval.transactionKey, orderId: null, gatewayAmount: 7_000, shopAmount: null, action: 'CANCELLED' },
        ],
      }),
    );
    expect(report).toMatchObject({ gatewayTransactions: 2, matched: 0, matchedAmount: 0 });

    await until(() => gatewayPayment(lateKey).status === 'CANCELED' && gatewayPayment(strangerKey).status === 'CANCELED', 5_000);
    await until(async () => (await attempts(2, late.order.id))[0].status === 'CANCELLED', 5_000);
    expect(await orderOf(2, late.order.id)).toMatchObject({ status: 'PENDING' });
    await outboxDrained(t);
    await until(() => mismatchAlerts(report).length === 2, 5_000);
    expect(mismatchAlerts(report).map((a) => a.body.orderId).sort()).toEqual([late.order.id, null].sort());
    expect(await mismatchesCounted()).toEqual({ ...countsBefore, CHARGE_WITHOUT_PAYMENT: countsBefore.CHARGE_WITHOUT_PAYMENT + 2 });

    // The same window again, and one that also holds the cancels the repair made: nothing left.
    const again = await reconcileOk(from, to);
    expect(again.mismatches).toEqual([]);
    const withCancels = await reconcileOk(from, windowEnd());
    expect(withCancels.mismatches).toEqual([]);
    expect(withCancels).toMatchObject({ gatewayTransactions: 4, matched: 4, matchedAmount: 2 * (10_000 + 7_000) });
  });

  it('CANCEL_WITHOUT_REFUND: console cancels no webhook told the shop of are recorded as GATEWAY refunds; the next run finds them matched', async () => {
    const from = await windowStart();
    const countsBefore = await mismatchesCounted();
    const part = await paidByCard(3, 2);
    const whole = await paidByCard(3, 1);
    pg.consoleCancel(part.paymentKey, { cancelReason: 'console, part', cancelAmount: 5_000 });
    pg.consoleCancel(whole.paymentKey, { cancelReason: 'console, all' });
    const to = windowEnd();

    const report = await reconcileOk(from, to);
    const cancelOf = (paymentKey: string) => gatewayPayment(paymentKey).cancels![0].transactionKey;
    expect(byKind(report)).toEqual([
      { kind: 'CANCEL_WITHOUT_REFUND', paymentKey: part.paymentKey, transactionKey: cancelOf(part.paymentKey), orderId: part.order.id, gatewayAmount: 5_000, shopAmount: null, action: 'RECORDED' },
      { kind: 'CANCEL_WITHOUT_REFUND', paymentKey: whole.paymentKey, transactionKey: cancelOf(whole.paymentKey), orderId: whole.order.id, gatewayAmount: 10_000, shopAmount: null, action: 'RECORDED' },
    ]);
    expect(report).toMatchObject({ gatewayTransactions: 4, matched: 2, matchedAmount: 20_000 + 10_000 });
    for (const [{ order }, amount, status] of [[part, 5_000, 'PARTIALLY_REFUNDED'], [whole, 10_000, 'REFUNDED']] as const) {
      expect(await refundsOf(order.id)).toEqual([expect.objectContaining({ source: 'GATEWAY', amount, items: [], restock: false, reason: 'cancelled at the payment gateway', status: 'COMPLETED' })]);
      expect(await orderOf(3, order.id)).toMatchObject({ status, refundedAmount: amount });
    }
    await outboxDrained(t);
    await until(() => mismatchAlerts(report).length === 2, 5_000);
    expect(alerts.accepted.filter((a) => a.body.alert === 'PG_EXTERNAL_CANCEL' && [part.order.id, whole.order.id].includes(a.body.orderId))).toHaveLength(2);
    expect(await mismatchesCounted()).toEqual({ ...countsBefore, CANCEL_WITHOUT_REFUND: countsBefore.CANCEL_WITHOUT_REFUND + 2 });

    const again = await reconcileOk(from, to);
    expect(again).toMatchObject({ gatewayTransactions: 4, matched: 4, matchedAmount: 30_000 + 15_000, mismatches: [] });
    expect((await refundsOf(part.order.id)).length + (await refundsOf(whole.order.id)).length).toBe(2);
  });

  it('PAYMENT_WITHOUT_CHARGE and AMOUNT_MISMATCH (the shop\'s rows edited by hand): ALERTED, and found again until an operator acts', async () => {
    const from = await windowStart();
    const countsBefore = await mismatchesCounted();
    // A payment the shop records as a card charge the gateway never made.
    const ghost = await placeOrder(4);
    await s.charge(4, ghost.order.finalAmount);
    const ghostPayment = (await s.pay(4, ghost.order.id).expect(201)).body as { id: number };
    await t.db.query(`UPDATE payments SET method = 'CARD', payment_key = 'tsim_never_charged', gateway_key = gen_random_uuid(), gateway_order_id = $2 WHERE id = $1`, [ghostPayment.id, `order-${ghost.order.id}`]);
    // An approval and a refund's cancel whose amounts the shop has wrong.
    const approval = await paidByCard(4);
    const [approved] = await attempts(4, approval.order.id);
    await t.db.query(`UPDATE payments SET amount = 9000 WHERE id = $1`, [approved.id]);
    const cancelled = await paidByCard(4, 2);
    const shopRefund = (await refund(cancelled.order.id, { reason: 'one of two', items: [{ productOptionId: cancelled.optionId, quantity: 1 }] }).expect(201)).body as RefundView;
    await t.db.query(`UPDATE refunds SET amount = 9999 WHERE id = $1`, [shopRefund.id]);
    const to = windowEnd();

    try {
      const callsBefore = pg.calls.length;
      const report = await reconcileOk(from, to);
      const approvalKey = pg.transactions().find((x) => x.paymentKey === approval.paymentKey && x.status === 'DONE')!.transactionKey;
      const cancelKey = gatewayPayment(cancelled.paymentKey).cancels![0].transactionKey;
      const expected = [
        { kind: 'AMOUNT_MISMATCH', paymentKey: approval.paymentKey, transactionKey: approvalKey, orderId: approval.order.id, gatewayAmount: 10_000, shopAmount: 9_000, action: 'ALERTED' },
        { kind: 'AMOUNT_MISMATCH', paymentKey: cancelled.paymentKey, transactionKey: cancelKey, orderId: cancelled.order.id, gatewayAmount: 10_000, shopAmount: 9_999, action: 'ALERTED' },
        { kind: 'PAYMENT_WITHOUT_CHARGE', paymentKey: 'tsim_never_charged', transactionKey: null, orderId: ghost.order.id, gatewayAmount: null, shopAmount: 10_000, action: 'ALERTED' },
      ];
      expect(byKind(report)).toEqual(expected);
      expect(report).toMatchObject({ gatewayTransactions: 3, matched: 1, matchedAmount: 20_000 });
      await outboxDrained(t);
      await until(() => mismatchAlerts(report).length === 3, 5_000);
      expect(mismatchAlerts(report).map((a) => a.body.severity)).toEqual(['critical', 'critical', 'critical']);
      expect(await mismatchesCounted()).toEqual({ ...countsBefore, AMOUNT_MISMATCH: countsBefore.AMOUNT_MISMATCH + 2, PAYMENT_WITHOUT_CHARGE: countsBefore.PAYMENT_WITHOUT_CHARGE + 1 });
      // Nothing was touched at the gateway or in the books: an operator must look.
      expect(pg.calls.slice(callsBefore).filter((c) => c.method === 'POST')).toEqual([]);
      expect(byKind(await reconcileOk(from, to))).toEqual(expected);
    } finally {
      // An operator put the rows right: the day agrees again (the daily run below holds the whole day).
      await t.db.query(`UPDATE payments SET method = 'BALANCE', payment_key = NULL, gateway_key = NULL, gateway_order_id = NULL WHERE id = $1`, [ghostPayment.id]);
      await t.db.query(`UPDATE payments SET amount = 10000 WHERE id = $1`, [approved.id]);
      await t.db.query(`UPDATE refunds SET amount = 10000 WHERE id = $1`, [shopRefund.id]);
    }
    expect((await reconcileOk(from, to)).mismatches).toEqual([]);
  });

  it('the daily job reconciles the previous Asia/Seoul day once, from RECONCILIATION_HOUR on', async () => {
    const job = t.app.get(DailyReconciliationJob);
    // Midnight in Seoul of the day this file ran in, and the next day's hours.
    const today = new Date(Math.floor((Date.now() + KST_MS) / DAY_MS) * DAY_MS - KST_MS);
    const tomorrowAt = (hour: number) => new Date(today.getTime() + DAY_MS + hour * 3_600_000);
    const scheduled = () => t.db.query(`SELECT id::int, to_char(scheduled_for, 'YYYY-MM-DD') AS day FROM reconciliations WHERE scheduled_for IS NOT NULL`);
    const runsBefore = await metricValue(t, 'reconciliation_runs_total', { trigger: 'DAILY' });

    await job.runDue(tomorrowAt(3));
    expect(await scheduled()).toEqual([]);

    await job.runDue(tomorrowAt(5));
    const rows = await scheduled();
    expect(rows).toEqual([{ id: expect.any(Number), day: new Date(today.getTime() + KST_MS).toISOString().slice(0, 10) }]);
    const report = (await t.http().get(`/admin/reconciliations/${rows[0].id}`).set(admin()).expect(200)).body as Report;
    const listed = ledger(today, new Date(today.getTime() + DAY_MS));
    expect(report).toMatchObject({
      from: today.toISOString(),
      to: new Date(today.getTime() + DAY_MS).toISOString(),
      gatewayTransactions: listed.length,
      matched: listed.length,
      matchedAmount: listed.reduce((sum, x) => sum + x.amount, 0),
      // Everything this file made the books and the gateway disagree about was repaired or put right.
      mismatches: [],
    });
    expect(listed.length).toBeGreaterThan(15);

    await job.runDue(tomorrowAt(5));
    await job.runDue(tomorrowAt(23));
    expect(await scheduled()).toEqual(rows);
    expect(await metricValue(t, 'reconciliation_runs_total', { trigger: 'DAILY' })).toBe(runsBefore + 1);
  });
});
