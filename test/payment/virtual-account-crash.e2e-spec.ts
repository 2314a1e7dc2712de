import type { Client } from 'pg';
import { PgSimulator } from '../../tools/pg-simulator';
import { ChildApp } from '../support/child-app';
import { until } from '../support/http';

const SECRET = 'test_sk_va_crash';

/**
 * API.md "Webhooks from the gateway": a deposit's webhook is stored, answered 200, then acted on
 * from what was stored. The production build is SIGKILLed between the deposit and its settlement
 * and started again: the inbox (or, with no webhook at all, the reconciler's start-up pass) pays
 * the order, once.
 */
describe('a crash between a virtual account deposit and its settlement (e2e)', () => {
  const pg = new PgSimulator({ secretKey: SECRET, webhookRetryDelaysMs: [500, 1_000, 2_000, 4_000] });
  const app = new ChildApp({
    ORDER_SWEEP_INTERVAL_MS: '0',
    PG_SECRET_KEY: SECRET,
    PG_TIMEOUT_MS: '1000',
    // One pass at start-up, the next far beyond this test: whatever settles the deposit after a restart is the one the test leaves.
    PG_RECONCILE_INTERVAL_MS: '600000',
    OUTBOX_POLL_INTERVAL_MS: '100',
    OUTBOX_BACKOFF_BASE_MS: '100',
    OUTBOX_BACKOFF_MAX_MS: '200',
    // A kill that lands while the callback's delivery is retrying the gateway leaves its row
    // leased: the restarted server takes it once the lease runs out, which must fit the wait below.
    OUTBOX_LEASE_MS: '5000',
  });
  let db: Client;

  beforeAll(async () => {
    await pg.start();
    app.env.PG_BASE_URL = pg.url;
    await app.createDatabase();
    await app.start();
    pg.webhookUrl = `${app.baseUrl}/webhooks/payment-gateway`;
    db = await app.connect();
  });
  afterEach(async () => {
    await pg.up();
    if (app.process?.exitCode !== null || app.process?.signalCode !== null) await app.start();
    pg.reset();
  });
  afterAll(async () => {
    await app.dropDatabase();
    await pg.stop();
  });

  const orderStatus = async (orderId: number) => (await db.query(`SELECT status FROM orders WHERE id = $1`, [orderId])).rows[0].status as string;
  async function kill() {
    app.process!.kill('SIGKILL');
    expect(await app.exited()).toBe('SIGKILL');
  }
  /** Only what a restart has to act on may settle it: the reconciler's start-up pass is told to leave the attempt alone. */
  const keepFromReconciler = (paymentId: number) => db.query(`UPDATE payments SET reconcile_after = now() + interval '1 hour' WHERE id = $1`, [paymentId]);

  async function issued(userId: number) {
    const product = (await app.call('POST', '/admin/products', 1, { name: `va-${userId}`, price: 8_000, options: [{ name: 'a', stock: 3 }] }, 'admin')).body;
    const order = (await app.call('POST', '/orders', userId, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] })).body;
    const paymentKey = pg.checkout(`order-${order.id}`, 8_000, undefined, { method: 'VIRTUAL_ACCOUNT' });
    const paid = await app.call('POST', '/payments', userId, { orderId: order.id, method: 'VIRTUAL_ACCOUNT', paymentKey });
    expect(paid).toMatchObject({ status: 202, body: { status: 'AWAITING_DEPOSIT' } });
    return { orderId: order.id as number, optionId: product.options[0].id as number, paymentKey, paymentId: paid.body.id as number };
  }

  async function expectPaidOnce({ orderId, optionId, paymentKey }: Awaited<ReturnType<typeof issued>>) {
    const payments = (await db.query(`SELECT status, amount, approval_key AS "approvalKey" FROM payments WHERE order_id = $1`, [orderId])).rows;
    expect(payments).toEqual([{ status: 'COMPLETED', amount: 8_000, approvalKey: pg.payments().find((p) => p.paymentKey === paymentKey)!.lastTransactionKey }]);
    const [option] = (await db.query(`SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1`, [optionId])).rows;
    expect(option).toEqual({ onHand: 2, reserved: 0 });
    const [{ n }] = (await db.query(`SELECT count(DISTINCT event_id)::int AS n FROM outbox_events WHERE event_type = 'order.processed' AND aggregate_id = $1`, [orderId])).rows;
    expect(n).toBe(1);
    expect(pg.transactions().filter((x) => x.paymentKey === paymentKey).map((x) => x.status)).toEqual(['DONE']);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
  }

  it('SIGKILL right after the deposit callback was stored and answered 200: after a restart the inbox pays the order, once', async () => {
    const placed = await issued(11);
    await pg.holdWebhooks(true);
    const { webhookIds } = pg.deposit(placed.paymentKey);
    pg.discardWebhooks([webhookIds[0]]);
    // The gateway cannot be read: the stored callback cannot be acted on before the kill.
    await pg.down('503');
    const [callback] = await pg.releaseWebhooks([webhookIds[1]]);
    expect(callback.attempts[0]).toMatchObject({ status: 200 });
    const stored = (await db.query(`SELECT result FROM gateway_webhooks WHERE gateway_order_id = $1 AND kind = 'DEPOSIT_CALLBACK'`, [`order-${placed.orderId}`])).rows;
    expect(stored).toEqual([{ result: null }]);
    await until(async () => (await db.query(`SELECT 1 FROM outbox_events WHERE consumer = 'gateway-webhook' AND status = 'PENDING' AND attempts > 0`)).rows.length > 0, 5_000);
    await kill();
    expect(await orderStatus(placed.orderId)).toBe('AWAITING_DEPOSIT');

    await keepFromReconciler(placed.paymentId);
    await pg.up();
    await app.start();
    await until(async () => (await orderStatus(placed.orderId)) === 'PAID', 15_000);
    await until(async () => (await db.query(`SELECT result FROM gateway_webhooks WHERE gateway_order_id = $1 AND kind = 'DEPOSIT_CALLBACK'`, [`order-${placed.orderId}`])).rows[0].result === 'PROCESSED', 5_000);
    await expectPaidOnce(placed);
  });

  it('the deposit callback sent while the server is down: the gateway retries it after the restart, and that pays the order once', async () => {
    const placed = await issued(12);
    await keepFromReconciler(placed.paymentId);
    await kill();
    const { webhookIds } = pg.deposit(placed.paymentKey);
    await until(() => pg.webhooks.filter((w) => webhookIds.includes(w.id)).every((w) => w.attempts.length > 0), 5_000);
    expect(pg.webhooks.filter((w) => webhookIds.includes(w.id)).map((w) => w.attempts[0].status)).toEqual([null, null]);

    await app.start();
    await until(async () => (await orderStatus(placed.orderId)) === 'PAID', 15_000);
    await until(() => pg.webhooks.filter((w) => webhookIds.includes(w.id)).every((w) => w.state === 'delivered'), 10_000);
    await pg.webhooksIdle();
    await until(async () => (await db.query(`SELECT 1 FROM gateway_webhooks WHERE gateway_order_id = $1 AND result IS NULL`, [`order-${placed.orderId}`])).rows.length === 0, 5_000);
    await expectPaidOnce(placed);
  });

  it('no webhook ever comes for a deposit made while the server was down: the reconciler pays the order at start-up', async () => {
    const placed = await issued(13);
    await kill();
    pg.webhookUrl = null;
    const logged = app.output.length;
    try {
      pg.deposit(placed.paymentKey);
      await app.start();
      await until(async () => (await orderStatus(placed.orderId)) === 'PAID', 15_000);
    } finally {
      pg.webhookUrl = `${app.baseUrl}/webhooks/payment-gateway`;
    }
    await expectPaidOnce(placed);
    // The pass logs once it has settled everything, so its line can follow the order's PAID.
    await until(async () => app.output.slice(logged).includes('gateway payments reconciled with the gateway'), 5_000);
  });
});
