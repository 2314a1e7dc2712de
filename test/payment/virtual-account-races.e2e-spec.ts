import { ReconcileGatewayPaymentsUseCase } from '../../src/payment/application/reconcile-gateway-payments.use-case';
import { SimulatorInputError } from '../../tools/pg-simulator';
import { GatewayTestApp } from '../support/gateway-app';
import { outboxDrained } from '../support/gateway-books';
import { concurrently, until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_va_races_e2e';
const TIMEOUT_MS = 400;
/** How long the deposit waits, round by round, before it reaches the gateway: from well before the close to well after it. */
const DEPOSIT_DELAYS_MS = [0, 1, 3, 6, 10, 20, 40, 100];
const ROUNDS = DEPOSIT_DELAYS_MS.length;

/**
 * API.md "Virtual accounts" and "Webhooks from the gateway" under real concurrency: the words
 * of one deposit (callbacks, status webhooks, the reconciler's lookups) arriving at once settle
 * it once, and a deposit racing the account's closing ends one way only, with the shop's books
 * and the simulator's agreeing: never paid and released, never released with money standing.
 */
describe('virtual accounts under concurrency (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, TIMEOUT_MS, { webhookRetryDelaysMs: [50, 100, 200] });
  const { pg } = gateway;
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    ({ t, s } = await gateway.start());
    pg.webhookUrl = `${t.baseUrl}/webhooks/payment-gateway`;
  });
  beforeEach(() => pg.holdWebhooks(true));
  afterEach(async () => {
    pg.discardWebhooks();
    await pg.webhooksIdle();
    await outboxDrained(t);
    pg.reset();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const reconcile = () => t.app.get(ReconcileGatewayPaymentsUseCase).execute();
  const postWebhook = (body: object) => t.http().post('/webhooks/payment-gateway').set('Content-Type', 'application/json').send(body);
  const webhooksSettled = () => until(async () => (await t.db.query(`SELECT 1 FROM gateway_webhooks WHERE result IS NULL`)).length === 0, 15_000);
  const gatewayPayment = (paymentKey: string) => pg.payments().find((p) => p.paymentKey === paymentKey)!;

  async function issued(userId: number, couponId: number) {
    const p = await s.product(10_000, [5]);
    const userCouponId = await s.issue(userId, couponId);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body as { id: number };
    const paymentKey = pg.checkout(`order-${order.id}`, 9_000, undefined, { method: 'VIRTUAL_ACCOUNT' });
    const res = await t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId: order.id, method: 'VIRTUAL_ACCOUNT', paymentKey }).expect(202);
    return { orderId: order.id, optionId: p.options[0].id as number, userCouponId, paymentKey, paymentId: res.body.id as number };
  }

  /** The shop's books of one order, straight from Postgres. */
  async function books(orderId: number, optionId: number, userCouponId: number) {
    const [[order], payments, [option], [coupon], [{ paid }], releases, logs] = await Promise.all([
      t.db.query(`SELECT status, final_amount AS "finalAmount" FROM orders WHERE id = $1`, [orderId]),
      t.db.query(`SELECT status, amount, failure_code AS "failureCode" FROM payments WHERE order_id = $1 ORDER BY id`, [orderId]),
      t.db.query(`SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1`, [optionId]),
      t.db.query(`SELECT status FROM user_coupons WHERE id = $1`, [userCouponId]),
      t.db.query(`SELECT count(DISTINCT event_id)::int AS paid FROM outbox_events WHERE event_type = 'order.processed' AND aggregate_id = $1`, [orderId]),
      t.db.query(`SELECT DISTINCT event_type AS "eventType" FROM outbox_events WHERE event_type IN ('order.cancelled', 'order.expired') AND aggregate_id = $1`, [orderId]),
      t.db.query(`SELECT 1 FROM balance_logs WHERE order_id = $1`, [orderId]),
    ]);
    return { order, payments, option, coupon: coupon.status as string, paid, releases: releases.map((r: { eventType: string }) => r.eventType), balanceLogs: logs.length };
  }

  it('10 identical deposit callbacks at once, the status webhook and two reconciler passes at the same time: one settlement', async () => {
    const coupon = await s.coupon({ discountType: 'FIXED', discountValue: 1_000, totalQuantity: 10 });
    for (let round = 0; round < 3; round++) {
      const userId = 100 + round;
      const placed = await issued(userId, coupon.id);
      pg.discardWebhooks();
      const { webhookIds, transactionKey } = pg.deposit(placed.paymentKey);
      const callback = pg.webhooks.find((w) => w.id === webhookIds[1])!.body as object;

      const [answers] = await Promise.all([
        concurrently(10, () => postWebhook(callback)),
        pg.releaseWebhooks([webhookIds[0]]),
        reconcile(),
        reconcile(),
      ]);
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(answers.filter((r) => r.body.duplicate === false)).toHaveLength(1);
      pg.discardWebhooks();
      await webhooksSettled();
      await outboxDrained(t);
      expect(await reconcile()).toEqual({ completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 });

      const b = await books(placed.orderId, placed.optionId, placed.userCouponId);
      expect(b).toMatchObject({ order: { status: 'PAID', finalAmount: 9_000 }, payments: [{ status: 'COMPLETED', amount: 9_000 }], option: { onHand: 4, reserved: 0 }, coupon: 'USED', paid: 1, releases: [], balanceLogs: 0 });
      const [{ approvalKey }] = await t.db.query(`SELECT approval_key AS "approvalKey" FROM payments WHERE id = $1`, [placed.paymentId]);
      expect(approvalKey).toBe(transactionKey);
      // The gateway's books: the one deposit stands, nothing was cancelled.
      expect(pg.transactions().filter((x) => x.paymentKey === placed.paymentKey).map((x) => [x.status, x.amount])).toEqual([['DONE', 9_000]]);
      expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
      expect(gatewayPayment(placed.paymentKey)).toMatchObject({ status: 'DONE', balanceAmount: 9_000 });
    }
    const [{ used }] = await t.db.query(`SELECT count(*)::int AS used FROM user_coupons WHERE coupon_id = $1 AND status = 'USED'`, [coupon.id]);
    expect(used).toBe(3);
  });

  it('the due date racing a deposit, round after round: paid or expired, never both, never released while money stands at the gateway', async () => {
    const coupon = await s.coupon({ discountType: 'FIXED', discountValue: 1_000, totalQuantity: ROUNDS });
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const userId = 200 + round;
      const placed = await issued(userId, coupon.id);
      pg.discardWebhooks();
      // The shop's clock says the account is due; the gateway's has not closed it yet: whichever acts first wins.
      await t.db.query(`UPDATE payments SET deposit_due_at = now() WHERE id = $1`, [placed.paymentId]);
      const depositing = async () => {
        await new Promise((r) => setTimeout(r, DEPOSIT_DELAYS_MS[round]));
        try {
          const { webhookIds } = pg.deposit(placed.paymentKey);
          await pg.releaseWebhooks(webhookIds);
          return 'deposited';
        } catch (error) {
          if (error instanceof SimulatorInputError && error.code === 'NOT_DEPOSITABLE') return 'refused';
          throw error;
        }
      };
      const [deposit] = await Promise.all([depositing(), reconcile()]);
      // Whatever the first pass left, the next ones finish: the webhooks, then the reconciler.
      await pg.webhooksIdle();
      await webhooksSettled();
      await reconcile();
      await outboxDrained(t);

      const b = await books(placed.orderId, placed.optionId, placed.userCouponId);
      const gateway = gatewayPayment(placed.paymentKey);
      const deposits = pg.transactions().filter((x) => x.paymentKey === placed.paymentKey && x.status === 'DONE');
      if (deposit === 'deposited') {
        expect(deposits).toHaveLength(1);
        expect(gateway).toMatchObject({ status: 'DONE', balanceAmount: 9_000 });
        expect(b).toMatchObject({ order: { status: 'PAID' }, payments: [{ status: 'COMPLETED' }], option: { onHand: 4, reserved: 0 }, coupon: 'USED', paid: 1, releases: [] });
      } else {
        expect(deposits).toEqual([]);
        expect(gateway.status).toBe('CANCELED');
        expect(b).toMatchObject({ order: { status: 'EXPIRED' }, payments: [{ status: 'FAILED', failureCode: 'VIRTUAL_ACCOUNT_EXPIRED' }], option: { onHand: 5, reserved: 0 }, coupon: 'AVAILABLE', paid: 0, releases: ['order.expired'] });
      }
      outcomes.push(deposit);
    }
    // Both sides of the race were played: the first rounds deposit before the pass reaches the gateway, the last after it closed.
    expect(new Set(outcomes)).toEqual(new Set(['deposited', 'refused']));
  });

  it("a customer's cancel racing a deposit, round after round: cancelled or paid, and the answer says which", async () => {
    const coupon = await s.coupon({ discountType: 'FIXED', discountValue: 1_000, totalQuantity: ROUNDS });
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const userId = 300 + round;
      const placed = await issued(userId, coupon.id);
      pg.discardWebhooks();
      const depositing = async () => {
        await new Promise((r) => setTimeout(r, DEPOSIT_DELAYS_MS[round]));
        try {
          pg.deposit(placed.paymentKey);
          return 'deposited';
        } catch (error) {
          if (error instanceof SimulatorInputError && error.code === 'NOT_DEPOSITABLE') return 'refused';
          throw error;
        }
      };
      const [cancel, deposit] = await Promise.all([t.http().post(`/orders/${placed.orderId}/cancel`).set(bearer(t.token(userId))), depositing()]);
      await pg.releaseWebhooks();
      await pg.webhooksIdle();
      await webhooksSettled();
      await outboxDrained(t);
      const b = await books(placed.orderId, placed.optionId, placed.userCouponId);
      if (deposit === 'deposited') {
        expect(cancel.status).toBe(409);
        expect(cancel.body.code).toBe('ORDER_NOT_CANCELLABLE');
        expect(gatewayPayment(placed.paymentKey)).toMatchObject({ status: 'DONE', balanceAmount: 9_000 });
        expect(b).toMatchObject({ order: { status: 'PAID' }, option: { onHand: 4, reserved: 0 }, coupon: 'USED', paid: 1, releases: [] });
      } else {
        expect(cancel.status).toBe(200);
        expect(cancel.body.status).toBe('CANCELLED');
        expect(gatewayPayment(placed.paymentKey).status).toBe('CANCELED');
        expect(b).toMatchObject({ order: { status: 'CANCELLED' }, option: { onHand: 5, reserved: 0 }, coupon: 'AVAILABLE', paid: 0, releases: ['order.cancelled'] });
      }
      outcomes.push(deposit);
    }
    expect(new Set(outcomes)).toEqual(new Set(['deposited', 'refused']));
  });
});
