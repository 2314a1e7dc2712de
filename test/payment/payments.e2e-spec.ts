import { concurrently, countBy, until } from '../support/http';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

describe('payments (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '100' } });
    s = shop(t);
  });
  afterAll(() => t.close());

  it('pays an order with a coupon: PAID, stock sold, coupon USED, balance and USE log right', async () => {
    const p = await s.product(12_000, [5]);
    const optionId = p.options[0].id;
    await s.charge(1, 50_000);
    const userCouponId = await s.issue(1, (await s.coupon({ discountType: 'RATE', discountValue: 10 })).id);
    const order = (await s.order(1, [{ productOptionId: optionId, quantity: 2 }], userCouponId).expect(201)).body;
    expect(order.finalAmount).toBe(21_600);

    const paid = await s.pay(1, order.id).expect(201);
    expect(paid.body).toEqual({
      id: expect.any(Number),
      orderId: order.id,
      userId: 1,
      amount: 21_600,
      method: 'BALANCE',
      status: 'COMPLETED',
      approvalNumber: null,
      failureCode: null,
      paymentKey: null,
      gatewayOrderId: null,
      easyPayProvider: null,
      virtualAccount: null,
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });

    const after = (await t.http().get(`/orders/${order.id}`).set(bearer(t.token(1))).expect(200)).body;
    expect(after.status).toBe('PAID');
    expect(Date.parse(after.paidAt)).toBeGreaterThanOrEqual(Date.parse(order.createdAt));
    expect(await s.option(optionId)).toEqual({ onHand: 3, reserved: 0 });
    const mine = (await t.http().get('/me/coupons').set(bearer(t.token(1))).expect(200)).body;
    expect(mine).toEqual([expect.objectContaining({ userCouponId, status: 'USED' })]);
    await t.http().get('/me/balance').set(bearer(t.token(1))).expect(200, { userId: 1, balance: 28_400 });
    const logs = (await t.http().get('/me/balance/logs').set(bearer(t.token(1))).expect(200)).body.items;
    expect(logs[0]).toMatchObject({ type: 'USE', amount: 21_600, balanceAfter: 28_400, orderId: order.id });

    await t.http().get(`/payments/${paid.body.id}`).set(bearer(t.token(1))).expect(200, paid.body);
    expect((await t.http().get(`/payments/${paid.body.id}`).set(bearer(t.token(2))).expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    expect((await s.pay(1, order.id).expect(409)).body.code).toBe('ORDER_NOT_PAYABLE');
    expect((await s.state(1, order.id)).outbox).toEqual(['data-platform-export', 'order-completed-push', 'sales-ranking']);
  });

  it('402 leaves everything as it was, and the order can be paid after a charge', async () => {
    const p = await s.product(5_000, [3]);
    await s.charge(2, 1_000);
    const userCouponId = await s.issue(2, (await s.coupon({ discountType: 'FIXED', discountValue: 1_000 })).id);
    const order = (await s.order(2, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
    const before = await s.state(2, order.id);

    const refused = await s.pay(2, order.id).expect(402);
    expect(refused.body).toEqual({ statusCode: 402, code: 'INSUFFICIENT_BALANCE', message: expect.any(String) });
    expect(await s.state(2, order.id)).toEqual(before);
    expect(before).toMatchObject({ order: { status: 'PENDING', paid: false }, balance: 1_000, logs: [], payments: 0, coupon: 'AVAILABLE', couponClaim: null, outbox: [] });

    await s.charge(2, 3_000);
    await s.pay(2, order.id).expect(201);
    expect(await s.state(2, order.id)).toMatchObject({ order: { status: 'PAID' }, balance: 0, coupon: 'USED', payments: 1, logs: [{ type: 'USE', amount: 4_000 }] });
  });

  it('pays a fully discounted order without touching the balance', async () => {
    const p = await s.product(3_000, [3]);
    const userCouponId = await s.issue(3, (await s.coupon({ discountType: 'FIXED', discountValue: 5_000 })).id);
    const order = (await s.order(3, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
    expect((await s.pay(3, order.id).expect(201)).body.amount).toBe(0);
    expect(await s.state(3, order.id)).toMatchObject({ order: { status: 'PAID' }, balance: 0, logs: [], coupon: 'USED' });
  });

  it('20 simultaneous payments of one order: exactly one 201, the balance charged once', async () => {
    const p = await s.product(7_000, [5]);
    await s.charge(4, 100_000);
    const order = (await s.order(4, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const responses = await concurrently(20, () => s.pay(4, order.id));
    const outcome = countBy(responses, (r) => (r.status === 201 ? 'paid' : `${r.status} ${r.body.code}`));
    expect(outcome.paid).toBe(1);
    expect(Object.keys(outcome).every((k) => ['paid', '409 PAYMENT_IN_PROGRESS', '409 ORDER_NOT_PAYABLE'].includes(k))).toBe(true);
    expect(await s.state(4, order.id)).toMatchObject({ balance: 93_000, payments: 1, logs: [{ type: 'USE', amount: 7_000 }] });
  });

  it('a user with balance for 5 of 10 orders paying all 10 at once: exactly 5 paid, balance 0', async () => {
    const p = await s.product(1_000, [100]);
    await s.charge(5, 5_000);
    const orders: { id: number }[] = [];
    for (let i = 0; i < 10; i++) orders.push((await s.order(5, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body);
    const responses = await concurrently(10, (i) => s.pay(5, orders[i].id));
    expect(countBy(responses, (r) => `${r.status}`)).toEqual({ 201: 5, 402: 5 });
    await t.http().get('/me/balance').set(bearer(t.token(5))).expect(200, { userId: 5, balance: 0 });
    const [{ uses, total }] = await t.db.query(`SELECT COUNT(*) AS uses, SUM(amount)::bigint AS total FROM balance_logs WHERE user_id = 5 AND type = 'USE'`);
    expect({ uses, total }).toEqual({ uses: 5, total: 5_000 });
    expect(await s.option(p.options[0].id)).toEqual({ onHand: 95, reserved: 5 });
  });

  it('two orders sharing one coupon paid at once: one succeeds, the other 409 COUPON_NOT_AVAILABLE and stays PENDING', async () => {
    const p = await s.product(10_000, [10]);
    await s.charge(6, 100_000);
    const userCouponId = await s.issue(6, (await s.coupon({ discountType: 'FIXED', discountValue: 2_000 })).id);
    const a = (await s.order(6, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
    const b = (await s.order(6, [{ productOptionId: p.options[0].id, quantity: 2 }], userCouponId).expect(201)).body;
    const [ra, rb] = await Promise.all([s.pay(6, a.id), s.pay(6, b.id)]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    const [winner, loser] = ra.status === 201 ? [a, b] : [b, a];
    expect((ra.status === 409 ? ra : rb).body.code).toBe('COUPON_NOT_AVAILABLE');
    expect(await s.state(6, loser.id)).toMatchObject({ order: { status: 'PENDING', paid: false }, payments: 0, logs: [], coupon: 'USED' });
    expect(await s.option(p.options[0].id)).toEqual({ onHand: 10 - winner.items[0].quantity, reserved: loser.items[0].quantity });
    await t.http().get('/me/balance').set(bearer(t.token(6))).expect(200, { userId: 6, balance: 100_000 - winner.finalAmount });
  });

  it('refuses unknown, foreign, cancelled and expired orders', async () => {
    const p = await s.product(1_000, [10]);
    await s.charge(7, 10_000);
    expect((await s.pay(7, 999_999).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    const foreign = (await s.order(8, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    expect((await s.pay(7, foreign.id).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    const cancelled = (await s.order(7, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await t.http().post(`/orders/${cancelled.id}/cancel`).set(bearer(t.token(7))).expect(200);
    expect((await s.pay(7, cancelled.id).expect(409)).body.code).toBe('ORDER_NOT_PAYABLE');
    const overdue = (await s.order(7, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await t.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1`, [overdue.id]);
    expect((await s.pay(7, overdue.id).expect(409)).body.code).toBe('ORDER_NOT_PAYABLE');
    await t.http().get('/me/balance').set(bearer(t.token(7))).expect(200, { userId: 7, balance: 10_000 });
  });

  it('answers 409 PAYMENT_IN_PROGRESS at once while another payment holds the order lock', async () => {
    const p = await s.product(1_000, [10]);
    await s.charge(9, 10_000);
    const order = (await s.order(9, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await t.redis.set(`payment:order:${order.id}:user:9`, 'someone-else', 'PX', 10_000);
    const started = Date.now();
    expect((await s.pay(9, order.id).expect(409)).body.code).toBe('PAYMENT_IN_PROGRESS');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await s.state(9, order.id)).toMatchObject({ order: { status: 'PENDING' }, balance: 10_000 });
    await t.redis.del(`payment:order:${order.id}:user:9`);
    await s.pay(9, order.id).expect(201);
  });

  it('replays a payment for the same Idempotency-Key, and a 402 too, without paying twice', async () => {
    const p = await s.product(3_000, [10]);
    await s.charge(12, 4_000);
    const first = (await s.order(12, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const paid = await s.pay(12, first.id, { 'Idempotency-Key': 'pay-first' }).expect(201);
    expect(paid.headers['idempotent-replayed']).toBeUndefined();
    const replay = await s.pay(12, first.id, { 'Idempotency-Key': 'pay-first' }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(paid.body);

    const second = (await s.order(12, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    expect((await s.pay(12, second.id, { 'Idempotency-Key': 'pay-second' }).expect(402)).body.code).toBe('INSUFFICIENT_BALANCE');
    await s.charge(12, 10_000);
    const replayed402 = await s.pay(12, second.id, { 'Idempotency-Key': 'pay-second' }).expect(402);
    expect(replayed402.headers['idempotent-replayed']).toBe('true');
    expect((await s.pay(12, first.id, { 'Idempotency-Key': 'pay-second' }).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
    await s.pay(12, second.id, { 'Idempotency-Key': 'pay-second-again' }).expect(201);
    await t.http().get('/me/balance').set(bearer(t.token(12))).expect(200, { userId: 12, balance: 14_000 - 6_000 });
  });

  it('20 simultaneous payments with one Idempotency-Key pay once and never fail with 5xx', async () => {
    const p = await s.product(2_500, [10]);
    await s.charge(13, 10_000);
    const order = (await s.order(13, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const responses = await concurrently(20, () => s.pay(13, order.id, { 'Idempotency-Key': 'same-for-all' }));
    const kinds = countBy(responses, (r) => (r.status === 201 ? (r.headers['idempotent-replayed'] ? 'replay' : 'paid') : `${r.status} ${r.body.code}`));
    expect(kinds.paid).toBe(1);
    // The payment lock comes before the key's claim (the use case owns lock → transaction), so a
    // duplicate in flight meets either: both are a 409 that says "retry shortly".
    expect(Object.keys(kinds).every((k) => ['paid', 'replay', '409 IDEMPOTENCY_KEY_IN_USE', '409 PAYMENT_IN_PROGRESS'].includes(k))).toBe(true);
    expect(await s.state(13, order.id)).toMatchObject({ balance: 7_500, payments: 1 });
  });

  it.each([
    ['no orderId', {}],
    ['orderId 0', { orderId: 0 }],
    ['orderId as a string', { orderId: '1' }],
    ['an amount', { orderId: 1, amount: 1 }],
  ])('refuses a payment with %s: 400 VALIDATION_FAILED', async (_, body) => {
    expect((await t.http().post('/payments').set(bearer(t.token(10))).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('counts paid quantities in GET /products/top within 5 s, once, and rebuilds them when Redis lost them', async () => {
    const hit = await s.product(2_000, [100], 'hit');
    const other = await s.product(2_000, [100], 'other');
    await s.charge(11, 100_000);
    for (const [product, quantity] of [[hit, 4], [other, 1], [hit, 3]] as const) {
      const order = (await s.order(11, [{ productOptionId: product.options[0].id, quantity }]).expect(201)).body;
      await s.pay(11, order.id).expect(201);
    }
    // An unpaid order does not count.
    await s.order(11, [{ productOptionId: other.options[0].id, quantity: 50 }]).expect(201);

    const top = () => t.http().get('/products/top?days=1&limit=100').then((r) => r.body as { productId: number; name: string; salesQuantity: number }[]);
    const mine = <T extends { productId: number }>(list: T[]) => list.filter((x) => [hit.id, other.id].includes(x.productId));
    const expected = [
      { productId: hit.id, name: 'hit', salesQuantity: 7 },
      { productId: other.id, name: 'other', salesQuantity: 1 },
    ];
    // "A payment shows up within 5 s" (API.md).
    await until(async () => mine(await top())[0]?.salesQuantity === 7, 5_000);
    expect(mine(await top())).toEqual(expected);

    // Delivered again (at-least-once): still counted once.
    await t.db.query(`UPDATE outbox_events SET status = 'PENDING', next_attempt_at = now() WHERE consumer = 'sales-ranking'`);
    await until(async () => (await t.db.query(`SELECT COUNT(*) AS n FROM outbox_events WHERE consumer = 'sales-ranking' AND status = 'PENDING'`))[0].n === 0, 5_000);
    expect(mine(await top())).toEqual(expected);

    // Redis lost the ranking: it is rebuilt from Postgres on the next read.
    const keys = await t.redis.keys(`${t.config.REDIS_KEY_PREFIX}ranking:*`);
    await t.redis.del(...keys.map((k) => k.slice(t.config.REDIS_KEY_PREFIX.length)));
    expect(mine(await top())).toEqual(expected);
  });

  it.each([['days=0'], ['days=31'], ['limit=0'], ['limit=101'], ['days=x']])('refuses GET /products/top?%s', async (query) => {
    expect((await t.http().get(`/products/top?${query}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
