import { concurrently, countBy } from '../support/http';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/**
 * "A user never sees or touches another user's order, payment, cart or coupon ... and nothing
 * another user sends can delay or refuse an owner's request" (API.md, Authentication): another
 * user's ids answer 404 as if they did not exist, before any side effect. A payment's lock is the
 * payer's own (payment:order:{id}:user:{userId}), so a stranger's never meets the owner's.
 */
describe('ownership (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  const OWNER = 1;
  const STRANGER = 2;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', MAX_OPEN_ORDERS_PER_USER: '100' } });
    s = shop(t);
  });
  afterAll(() => t.close());

  it("row 2: a stranger's 20 payments of an owner's order, sent while the owner pays, are 404 and never make the owner's a 409", async () => {
    const product = await s.product(100, [1_000]);
    await s.charge(OWNER, 10_000);
    const rounds = 15;
    const outcomes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = (await s.order(OWNER, [{ productOptionId: product.options[0].id, quantity: 1 }]).expect(201)).body;
      const strangers = concurrently(20, () => s.pay(STRANGER, order.id));
      // The stranger's requests go first, so any lock they took would be held when the owner's arrives.
      await new Promise((r) => setImmediate(r));
      const owner = await s.pay(OWNER, order.id);
      outcomes.push(owner.status);
      const refused = await strangers;
      expect(countBy(refused, (r) => `${r.status} ${r.body.code}`)).toEqual({ '404 ORDER_NOT_FOUND': 20 });
    }
    expect(countBy(outcomes, (status) => status)).toEqual({ 201: rounds });
  });

  describe("another user's ids answer as if they did not exist, changing nothing", () => {
    let order: { id: number };
    let paymentId: number;
    let optionId: number;

    beforeAll(async () => {
      const product = await s.product(100, [100]);
      optionId = product.options[0].id;
      await s.charge(OWNER, 1_000);
      const paid = (await s.order(OWNER, [{ productOptionId: product.options[0].id, quantity: 1 }]).expect(201)).body;
      paymentId = (await s.pay(OWNER, paid.id).expect(201)).body.id;
      order = (await s.order(OWNER, [{ productOptionId: product.options[0].id, quantity: 1 }]).expect(201)).body;
    });

    const stranger = () => bearer(t.token(STRANGER));

    it('reads: the order, the payment and the order list', async () => {
      expect((await t.http().get(`/orders/${order.id}`).set(stranger()).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect((await t.http().get(`/payments/${paymentId}`).set(stranger()).expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
      expect((await t.http().get('/orders').set(stranger()).expect(200)).body).toEqual({ items: [], total: 0 });
    });

    it('cancels and payments: 404, and the order stays PENDING with its stock', async () => {
      // One unit sold by the paid order, one reserved by the pending one.
      expect(await s.option(optionId)).toEqual({ onHand: 99, reserved: 1 });
      const before = await s.state(OWNER, order.id);
      expect((await t.http().post(`/orders/${order.id}/cancel`).set(stranger()).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect((await s.pay(STRANGER, order.id).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect((await t.http().get(`/orders/${order.id}`).set(bearer(t.token(OWNER))).expect(200)).body.status).toBe('PENDING');
      expect(await s.option(optionId)).toEqual({ onHand: 99, reserved: 1 });
      expect(await s.state(OWNER, order.id)).toEqual(before);
    });

    it("coupons: an order naming another user's coupon is 404 COUPON_NOT_FOUND", async () => {
      const product = await s.product(100, [10]);
      const theirs = await s.issue(OWNER, (await s.coupon({})).id);
      const res = await s.order(STRANGER, [{ productOptionId: product.options[0].id, quantity: 1 }], theirs).expect(404);
      expect(res.body.code).toBe('COUPON_NOT_FOUND');
      expect(await s.option(product.options[0].id)).toEqual({ onHand: 10, reserved: 0 });
    });

    it("the cart: another user's item is 404 and stays", async () => {
      const product = await s.product(100, [10]);
      const item = (await t.http().post('/me/cart/items').set(bearer(t.token(OWNER))).send({ productOptionId: product.options[0].id, quantity: 1 }).expect(201)).body.items[0];
      expect((await t.http().delete(`/me/cart/items/${item.id}`).set(stranger()).expect(404)).body.code).toBe('CART_ITEM_NOT_FOUND');
      expect((await t.http().get('/me/cart').set(bearer(t.token(OWNER))).expect(200)).body.items).toEqual([item]);
    });
  });
});
