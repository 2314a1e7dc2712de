import { GatewayTestApp } from '../support/gateway-app';
import { concurrently, countBy, until } from '../support/http';
import { Receiver } from '../support/receiver';
import { shop } from '../support/shop';
import { bearer, TestApp } from '../support/test-app';

const SECRET = 'test_sk_refunds';

describe('refunds (e2e)', () => {
  const gateway = new GatewayTestApp(SECRET, 300);
  const { pg, alerts } = gateway;
  const dataPlatform = new Receiver();
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await dataPlatform.up();
    ({ t, s } = await gateway.start({ DATA_PLATFORM_URL: dataPlatform.url }));
  });
  afterAll(async () => {
    await gateway.stop();
    await dataPlatform.down();
  });

  const admin = () => bearer(t.token(900_000, 'admin'));
  const refund = (orderId: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.http().post(`/admin/orders/${orderId}/refunds`).set(admin()).set(headers).send(body);
  const refundsOf = async (orderId: number) => (await t.http().get(`/admin/orders/${orderId}/refunds`).set(admin()).expect(200)).body;
  const orderOf = async (userId: number, orderId: number) => (await t.http().get(`/orders/${orderId}`).set(bearer(t.token(userId))).expect(200)).body;
  const balanceLogs = async (userId: number) =>
    (await t.http().get('/me/balance/logs?limit=100').set(bearer(t.token(userId))).expect(200)).body.items as { type: string; amount: number; orderId: number | null }[];
  const topOf = async (productId: number) =>
    ((await t.http().get('/products/top?days=1&limit=100').expect(200)).body as { productId: number; salesQuantity: number }[]).find((x) => x.productId === productId)
      ?.salesQuantity ?? 0;

  /** Two lines: 12,000 × 2 and 5,000 × 1 (29,000), a 3,000 won FIXED coupon: finalAmount 26,000, nets 21,517 and 4,483. */
  async function twoLineOrder(userId: number, pay: 'BALANCE' | 'CARD' = 'BALANCE') {
    const a = await s.product(12_000, [10]);
    const b = await s.product(5_000, [10]);
    const userCouponId = await s.issue(userId, (await s.coupon({ discountType: 'FIXED', discountValue: 3_000 })).id);
    const items = [
      { productOptionId: a.options[0].id, quantity: 2 },
      { productOptionId: b.options[0].id, quantity: 1 },
    ];
    const order = (await s.order(userId, items, userCouponId).expect(201)).body;
    expect(order.finalAmount).toBe(26_000);
    if (pay === 'BALANCE') {
      await s.charge(userId, 26_000);
      await s.pay(userId, order.id).expect(201);
    } else {
      const paymentKey = pg.checkout(`order-${order.id}`, 26_000);
      await t.http().post('/payments').set(bearer(t.token(userId))).send({ orderId: order.id, method: 'CARD', paymentKey }).expect(201);
    }
    return { order, a, b, optionA: a.options[0].id as number, optionB: b.options[0].id as number, userCouponId, paymentKey: pg.payments().at(-1)?.paymentKey };
  }

  it('a full refund of a two-line order with a FIXED coupon: amounts by the rule, balance and REFUND log, REFUNDED, coupon, stock and ranking back', async () => {
    const { order, a, optionA, optionB, userCouponId } = await twoLineOrder(1);
    await until(async () => (await topOf(a.id)) === 2, 5_000);

    const res = await refund(order.id, { reason: 'customer changed their mind' }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      orderId: order.id,
      amount: 26_000,
      reason: 'customer changed their mind',
      restock: true,
      source: 'SHOP',
      items: [
        { productOptionId: optionA, quantity: 2, amount: 21_517 },
        { productOptionId: optionB, quantity: 1, amount: 4_483 },
      ],
      status: 'COMPLETED',
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(await orderOf(1, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 26_000 });
    expect(await s.state(1, order.id)).toMatchObject({ balance: 26_000, coupon: 'AVAILABLE' });
    expect((await balanceLogs(1))[0]).toMatchObject({ type: 'REFUND', amount: 26_000, orderId: order.id });
    expect(await s.option(optionA)).toEqual({ onHand: 10, reserved: 0 });
    expect(await s.option(optionB)).toEqual({ onHand: 10, reserved: 0 });
    const coupons = (await t.http().get('/me/coupons').set(bearer(t.token(1))).expect(200)).body as { userCouponId: number; status: string }[];
    expect(coupons.find((c) => c.userCouponId === userCouponId)?.status).toBe('AVAILABLE');
    await until(async () => (await topOf(a.id)) === 0, 5_000);
    expect((await refund(order.id, { reason: 'again' }).expect(409)).body.code).toBe('ORDER_NOT_REFUNDABLE');
  });

  it('partial refunds add up to exactly finalAmount: PARTIALLY_REFUNDED, then REFUNDED; the coupon comes back only at the end', async () => {
    const { order, optionA, optionB } = await twoLineOrder(2);
    const first = await refund(order.id, { reason: 'one shirt', items: [{ productOptionId: optionA, quantity: 1 }] }).expect(201);
    expect(first.body.amount).toBe(10_758);
    expect(await orderOf(2, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 10_758 });
    expect(await s.state(2, order.id)).toMatchObject({ coupon: 'USED' });

    const second = await refund(order.id, { reason: 'the bag', items: [{ productOptionId: optionB, quantity: 1 }] }).expect(201);
    const third = await refund(order.id, { reason: 'the rest' }).expect(201);
    expect(third.body.items).toEqual([{ productOptionId: optionA, quantity: 1, amount: 10_759 }]);
    expect(first.body.amount + second.body.amount + third.body.amount).toBe(26_000);
    expect(await orderOf(2, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 26_000 });
    expect(await s.state(2, order.id)).toMatchObject({ balance: 26_000, coupon: 'AVAILABLE' });
    expect((await refundsOf(order.id)).map((r: { amount: number }) => r.amount)).toEqual([10_758, 4_483, 10_759]);
  });

  it('10 concurrent one-unit refunds of a three-unit line: exactly 3, the others 409 REFUND_EXCEEDS_PAID', async () => {
    const p = await s.product(1_000, [10, 10]);
    await s.charge(3, 4_000);
    // A second line keeps the order PARTIALLY_REFUNDED, so the losers meet the line's limit, not the order's status.
    const items = [
      { productOptionId: p.options[0].id, quantity: 3 },
      { productOptionId: p.options[1].id, quantity: 1 },
    ];
    const order = (await s.order(3, items).expect(201)).body;
    await s.pay(3, order.id).expect(201);

    const rs = await concurrently(10, () => refund(order.id, { reason: 'one unit', items: [{ productOptionId: p.options[0].id, quantity: 1 }] }));
    expect(countBy(rs, (r) => (r.status === 201 ? 'refunded' : `${r.status} ${r.body.code}`))).toEqual({ refunded: 3, '409 REFUND_EXCEEDS_PAID': 7 });
    expect(await orderOf(3, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 3_000 });
    expect(await s.state(3, order.id)).toMatchObject({ balance: 3_000 });
    const lines = await t.db.query(
      `SELECT refunded_quantity AS refunded, refunding_quantity AS refunding FROM order_items WHERE order_id = $1 ORDER BY id`,
      [order.id],
    );
    expect(lines).toEqual([
      { refunded: 3, refunding: 0 },
      { refunded: 0, refunding: 0 },
    ]);
  });

  it('answers every error of the contract', async () => {
    const p = await s.product(1_000, [10]);
    const pending = (await s.order(4, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body;
    expect((await refund(999_999, { reason: 'x' }).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await refund(pending.id, { reason: 'x' }).expect(409)).body.code).toBe('ORDER_NOT_REFUNDABLE');
    expect((await t.http().get('/admin/orders/999999/refunds').set(admin()).expect(404)).body.code).toBe('ORDER_NOT_FOUND');

    await s.charge(4, 2_000);
    await s.pay(4, pending.id).expect(201);
    const option = p.options[0].id;
    expect((await refund(pending.id, { reason: 'x', items: [{ productOptionId: option, quantity: 3 }] }).expect(409)).body.code).toBe('REFUND_EXCEEDS_PAID');
    expect((await refund(pending.id, { reason: 'x', items: [{ productOptionId: option + 1_000, quantity: 1 }] }).expect(409)).body.code).toBe('REFUND_EXCEEDS_PAID');
    for (const body of [
      {},
      { reason: '' },
      { reason: 'x'.repeat(201) },
      { reason: 'x', items: [] },
      { reason: 'x', items: [{ productOptionId: option, quantity: 0 }] },
      { reason: 'x', items: [{ productOptionId: option, quantity: 1 }, { productOptionId: option, quantity: 1 }] },
      { reason: 'x', restock: 'no' },
      { reason: 'x', amount: 1_000 },
    ]) {
      expect({ body, code: (await refund(pending.id, body)).body.code }).toEqual({ body, code: 'VALIDATION_FAILED' });
    }
    expect((await t.http().post(`/admin/orders/${pending.id}/refunds`).set(bearer(t.token(4))).send({ reason: 'x' }).expect(403)).body.code).toBe('FORBIDDEN');
    await t.http().post(`/admin/orders/${pending.id}/refunds`).send({ reason: 'x' }).expect(401);
    expect(await refundsOf(pending.id)).toEqual([]);
    expect(await s.state(4, pending.id)).toMatchObject({ order: { status: 'PAID' }, balance: 0 });
  });

  it('restock: false leaves the units off hand', async () => {
    const p = await s.product(1_000, [10]);
    await s.charge(5, 2_000);
    const order = (await s.order(5, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body;
    await s.pay(5, order.id).expect(201);
    await refund(order.id, { reason: 'damaged in transit', restock: false }).expect(201);
    expect(await s.option(p.options[0].id)).toEqual({ onHand: 8, reserved: 0 });
    expect(await orderOf(5, order.id)).toMatchObject({ status: 'REFUNDED' });
  });

  it('card refunds, partial then full: the gateway cancels each amount with the reason and a key per cancellation', async () => {
    const { order, optionA, paymentKey } = await twoLineOrder(6, 'CARD');
    const partial = await refund(order.id, { reason: 'one shirt', items: [{ productOptionId: optionA, quantity: 1 }] }).expect(201);
    expect(partial.body).toMatchObject({ amount: 10_758, status: 'COMPLETED' });
    expect(pg.payments().find((p) => p.paymentKey === paymentKey)).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 26_000 - 10_758 });

    const rest = await refund(order.id, { reason: 'the rest' }).expect(201);
    expect(rest.body.amount).toBe(26_000 - 10_758);
    expect(pg.payments().find((p) => p.paymentKey === paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    const cancels = pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`);
    expect(cancels.map((c) => c.body)).toEqual([
      { cancelReason: 'one shirt', cancelAmount: 10_758 },
      { cancelReason: 'the rest', cancelAmount: 15_242 },
    ]);
    expect(new Set(cancels.map((c) => c.headers['idempotency-key'])).size).toBe(2);
    expect(await orderOf(6, order.id)).toMatchObject({ status: 'REFUNDED', refundedAmount: 26_000 });
    expect(await s.state(6, order.id)).toMatchObject({ balance: 0, coupon: 'AVAILABLE' });
    // The request did the cancellations itself: their outbox retries were settled, never sent.
    await new Promise((r) => setTimeout(r, 800));
    expect(pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`)).toHaveLength(2);
  });

  it('a card refund of 0 won (a free unit) completes without asking the gateway, which refuses a cancelAmount of 0', async () => {
    const paid = await s.product(8_000, [5]);
    const free = await s.product(0, [5]);
    const order = (await s.order(41, [{ productOptionId: paid.options[0].id, quantity: 1 }, { productOptionId: free.options[0].id, quantity: 1 }]).expect(201)).body;
    const paymentKey = pg.checkout(`order-${order.id}`, 8_000);
    await t.http().post('/payments').set(bearer(t.token(41))).send({ orderId: order.id, method: 'CARD', paymentKey }).expect(201);

    const res = await refund(order.id, { reason: 'the gift', items: [{ productOptionId: free.options[0].id, quantity: 1 }] }).expect(201);
    expect(res.body).toMatchObject({ amount: 0, status: 'COMPLETED' });
    expect(await orderOf(41, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 0 });
    expect(await s.option(free.options[0].id)).toEqual({ onHand: 5, reserved: 0 });
    // Neither the request nor the outbox's retry of it called the gateway.
    await new Promise((r) => setTimeout(r, 800));
    expect(pg.calls.filter((c) => c.path === `/v1/payments/${paymentKey}/cancel`)).toHaveLength(0);
    expect(pg.payments().find((p) => p.paymentKey === paymentKey)?.status).toBe('DONE');
  });

  it('a gateway whose cancel keeps failing: 202, retried, CANCEL_FAILED with an alert, the units refundable again', async () => {
    const { order, optionB, paymentKey } = await twoLineOrder(7, 'CARD');
    pg.behave(paymentKey!, { kind: 'cancel-fails', times: -1 });
    const res = await refund(order.id, { reason: 'the bag', items: [{ productOptionId: optionB, quantity: 1 }] }).expect(202);
    expect(res.body).toMatchObject({ status: 'PROCESSING', amount: 4_483, completedAt: null });
    expect((await refund(order.id, { reason: 'the bag again', items: [{ productOptionId: optionB, quantity: 1 }] }).expect(409)).body.code).toBe('REFUND_EXCEEDS_PAID');

    await until(async () => (await refundsOf(order.id))[0].status === 'CANCEL_FAILED', 10_000);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel')).length).toBeGreaterThanOrEqual(4);
    await until(() => alerts.accepted.some((a) => a.body.alert === 'PG_CANCEL_FAILED' && a.body.refundId === res.body.id), 5_000);
    expect(await orderOf(7, order.id)).toMatchObject({ status: 'PAID', refundedAmount: 0 });

    pg.behave(paymentKey!, { kind: 'approve' });
    const again = await refund(order.id, { reason: 'the bag, once more', items: [{ productOptionId: optionB, quantity: 1 }] }).expect(201);
    expect(again.body.amount).toBe(4_483);
    expect(await orderOf(7, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 4_483 });
  });

  it('an Idempotency-Key replays the refund without refunding twice', async () => {
    const { order } = await twoLineOrder(8);
    const first = await refund(order.id, { reason: 'all' }, { 'Idempotency-Key': 'refund-8' }).expect(201);
    const again = await refund(order.id, { reason: 'all' }, { 'Idempotency-Key': 'refund-8' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await refundsOf(order.id)).toHaveLength(1);
    expect(await s.state(8, order.id)).toMatchObject({ balance: 26_000 });
  });

  it('a retry with the same Idempotency-Key while the gateway cancels a card refund starts no second refund', async () => {
    const { order, optionA, paymentKey } = await twoLineOrder(42, 'CARD');
    const body = { reason: 'one shirt', items: [{ productOptionId: optionA, quantity: 1 }] };
    pg.delayMs = 200;
    try {
      const first = refund(order.id, body, { 'Idempotency-Key': 'refund-42' }).then((r) => r);
      await until(() => pg.calls.some((c) => c.path === `/v1/payments/${paymentKey}/cancel`), 2_000);
      const retry = await refund(order.id, body, { 'Idempotency-Key': 'refund-42' });
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect((await first).status).toBe(201);
    } finally {
      pg.delayMs = 0;
    }
    expect(await refundsOf(order.id)).toHaveLength(1);
    expect(pg.payments().find((p) => p.paymentKey === paymentKey)).toMatchObject({ balanceAmount: 26_000 - 10_758 });
    const replay = await refund(order.id, body, { 'Idempotency-Key': 'refund-42' }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('exports a refund once, as ORDER_REFUNDED with its refund fields', async () => {
    const { order } = await twoLineOrder(9);
    const done = (await refund(order.id, { reason: 'all' }).expect(201)).body;
    await until(() => [...dataPlatform.distinct().values()].some((r) => r.body.eventType === 'ORDER_REFUNDED' && r.body.orderId === order.id), 5_000);
    const exported = [...dataPlatform.distinct().values()].filter((r) => r.body.eventType === 'ORDER_REFUNDED' && r.body.orderId === order.id);
    expect(exported).toHaveLength(1);
    expect(exported[0].body).toMatchObject({
      eventId: exported[0].idempotencyKey,
      orderId: order.id,
      userId: 9,
      finalAmount: 26_000,
      refundId: done.id,
      refundAmount: 26_000,
      refundItems: done.items.map((i: object) => expect.objectContaining(i)),
      occurredAt: expect.any(String),
    });
  });

  it('the ranking rebuilt from Postgres agrees: refunded units are off the day they were paid', async () => {
    const p = await s.product(1_000, [10]);
    await s.charge(10, 4_000);
    const order = (await s.order(10, [{ productOptionId: p.options[0].id, quantity: 4 }]).expect(201)).body;
    await s.pay(10, order.id).expect(201);
    await refund(order.id, { reason: 'three back', items: [{ productOptionId: p.options[0].id, quantity: 3 }] }).expect(201);
    await until(async () => (await topOf(p.id)) === 1, 5_000);
    await until(async () => (await t.db.query(`SELECT 1 FROM outbox_events WHERE consumer = 'sales-ranking' AND status <> 'DELIVERED'`)).length === 0, 5_000);

    const keys = await t.redis.keys(`${t.config.REDIS_KEY_PREFIX}ranking:*`);
    await t.redis.del(...keys.map((k) => k.slice(t.config.REDIS_KEY_PREFIX.length)));
    expect(await topOf(p.id)).toBe(1);
  });

  it('reports refunds by method and result, and the won given back', async () => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const value = (line: string) => Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1]);
    expect(value('refunds_total{method="BALANCE",result="COMPLETED"}')).toBeGreaterThanOrEqual(10);
    expect(value('refunds_total{method="BALANCE",result="REFUND_EXCEEDS_PAID"}')).toBeGreaterThanOrEqual(7);
    expect(value('refunds_total{method="CARD",result="PROCESSING"}')).toBe(1);
    const [{ balance, card }] = await t.db.query(
      `SELECT coalesce(sum(amount) FILTER (WHERE method = 'BALANCE'), 0)::bigint AS balance, coalesce(sum(amount) FILTER (WHERE method = 'CARD'), 0)::bigint AS card
       FROM refunds WHERE status = 'COMPLETED'`,
    );
    expect(value('refunded_won_total{method="BALANCE"}')).toBe(Number(balance));
    expect(value('refunded_won_total{method="CARD"}')).toBe(Number(card));
  });
});
