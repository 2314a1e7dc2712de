import { createTestApp, TestApp } from '../support/test-app';

/**
 * Every hot lookup has an index. Each statement below is the shape a repository sends (ids and
 * values filled in); with sequential scans switched off, the planner must find the named index,
 * which it only can when that index serves the statement's condition.
 */
describe('indexes on every hot lookup (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { OUTBOX_POLL_INTERVAL_MS: '0', ORDER_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  async function plan(sql: string): Promise<string> {
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('SET LOCAL enable_seqscan = off');
      const [row] = await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`);
      return JSON.stringify(row['QUERY PLAN']);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it.each([
    ['a user\'s orders, newest first', `SELECT id FROM orders WHERE user_id = 1 AND (NULL::varchar IS NULL OR status = NULL) ORDER BY id DESC LIMIT 20 OFFSET 0`, 'orders_user_newest'],
    ['a user\'s orders of one status, counted', `SELECT count(*) FROM orders WHERE user_id = 1 AND ('PAID'::varchar IS NULL OR status = 'PAID')`, 'orders_user_newest|orders_paid_at'],
    ['a user\'s open orders, counted on every order placed', `SELECT count(*) FROM orders WHERE user_id = 1 AND status IN ('PENDING', 'PAYING') AND (status = 'PAYING' OR expires_at > now())`, 'orders_user_open'],
    ['one order of its owner', `SELECT id FROM orders WHERE id = 1 AND user_id = 1`, 'orders_pkey|orders_user_newest'],
    ['overdue orders to expire', `SELECT id FROM orders WHERE status = 'PENDING' AND expires_at <= now() ORDER BY expires_at LIMIT 500`, 'orders_pending_expiry'],
    ['the items of a page of orders', `SELECT * FROM order_items WHERE order_id = ANY('{1,2,3}'::bigint[]) ORDER BY id`, 'order_items_order_id_product_option_id_key'],
    ['a payment of its owner', `SELECT id FROM payments WHERE id = 1 AND user_id = 1`, 'payments_pkey|payments_user'],
    ['the attempts to pay an order, oldest first', `SELECT id FROM payments WHERE order_id = 1 ORDER BY id`, 'payments_order'],
    ['the payment that paid an order', `SELECT id FROM payments WHERE order_id = 1 AND status = 'COMPLETED'`, 'payments_one_live_per_order|payments_order'],
    ['card attempts left with the gateway, to reconcile', `SELECT id FROM payments WHERE status = 'PROCESSING' AND created_at < now() - interval '10 seconds' ORDER BY created_at LIMIT 50`, 'payments_processing'],
    ['card attempts with the gateway, counted for /metrics', `SELECT count(*) FROM payments WHERE status = 'PROCESSING'`, 'payments_processing'],
    ['failed attempts still watched for a late approval', `SELECT id FROM payments WHERE status = 'FAILED' AND outcome_unknown_at IS NOT NULL AND cancel_requested_at IS NULL AND ended_at > now() - make_interval(secs => 900) ORDER BY ended_at LIMIT 50`, 'payments_watched'],
    ['the refunds of an order, oldest first', `SELECT id FROM refunds WHERE order_id = 1 ORDER BY id`, 'refunds_order'],
    ['the items of a refund', `SELECT amount FROM refund_items WHERE refund_id = 1 ORDER BY product_option_id`, 'refund_items_pkey'],
    ['the ranking\'s refunds of a day\'s paid orders', `SELECT payload FROM outbox_events WHERE consumer = 'sales-ranking' AND event_type = 'order.refunded' AND aggregate_id = ANY('{1,2}'::bigint[]) ORDER BY id`, 'outbox_events_consumer_created'],
    ['a balance', `SELECT balance FROM user_accounts WHERE id = 1`, 'user_accounts_pkey'],
    ['a page of balance logs', `SELECT id FROM balance_logs WHERE user_id = 1 AND (5::bigint IS NULL OR id < 5) ORDER BY id DESC LIMIT 21`, 'balance_logs_user_newest'],
    ['the USE log of an order', `SELECT id FROM balance_logs WHERE order_id = 1 AND type = 'USE'`, 'balance_logs_one_use_per_order'],
    ['a cart', `SELECT id FROM cart_items WHERE user_id = 1 ORDER BY id`, 'cart_items_user_id_product_option_id_key'],
    ['a user\'s coupons', `SELECT id FROM user_coupons WHERE user_id = 1 ORDER BY id`, 'user_coupons_user'],
    ['the holders of a coupon', `SELECT user_id FROM user_coupons WHERE coupon_id = 1`, 'user_coupons_coupon_id_user_id_key'],
    ['a page of products', `SELECT id FROM products ORDER BY id LIMIT 20 OFFSET 40`, 'products_pkey'],
    ['the options of a page of products', `SELECT id FROM product_options WHERE product_id = ANY('{1,2}'::bigint[]) ORDER BY product_id, id`, 'product_options_product'],
    ['ordered options with their products', `SELECT o.id FROM product_options o JOIN products p ON p.id = o.product_id WHERE o.id = ANY('{1,2}'::bigint[])`, 'product_options_pkey'],
    ['due outbox events', `SELECT id FROM outbox_events WHERE status = 'PENDING' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT 50`, 'outbox_events_due'],
    ['dead outbox events, counted up to the cap', `SELECT count(*) FROM (SELECT 1 FROM outbox_events WHERE ('DEAD'::varchar IS NULL OR status = 'DEAD') LIMIT 10001) AS capped`, 'outbox_events_dead'],
    ['a day of the ranking\'s events', `SELECT payload FROM outbox_events WHERE consumer = 'sales-ranking' AND event_type = 'order.processed' AND created_at >= now() - interval '1 day' AND created_at < now()`, 'outbox_events_consumer_created'],
    ['delivered outbox events past retention', `SELECT id FROM outbox_events WHERE status = 'DELIVERED' AND delivered_at < now() - interval '7 days' LIMIT 1000`, 'outbox_events_delivered_at'],
    ['an Idempotency-Key', `SELECT fingerprint FROM idempotency_keys WHERE user_id = 1 AND key = 'k'`, 'idempotency_keys_pkey'],
    ['expired Idempotency-Keys', `SELECT user_id FROM idempotency_keys WHERE expires_at <= now() LIMIT 1000`, 'idempotency_keys_expiry'],
  ])('%s: %s uses %s', async (_, sql, indexes) => {
    const explained = await plan(sql);
    expect(explained).toMatch(new RegExp(`"Index Name":"(${indexes})"`));
    expect(explained).not.toContain('"Node Type":"Seq Scan"');
  });
});
