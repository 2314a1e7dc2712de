import { bearer, TestApp } from './test-app';

/** Setup through the public API, as an admin and a shopper would do it. */
export function shop(t: TestApp) {
  const admin = () => bearer(t.token(900_000, 'admin'));
  return {
    async product(price: number, stocks: number[], name = `p-${Math.random().toString(36).slice(2, 8)}`) {
      const res = await t.http().post('/admin/products').set(admin()).send({ name, price, options: stocks.map((stock, i) => ({ name: `o${i}`, stock })) }).expect(201);
      return res.body as { id: number; name: string; price: number; options: { id: number; stock: number; onHand: number; reserved: number }[] };
    },
    async option(optionId: number) {
      const [row] = await t.db.query('SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1', [optionId]);
      return row as { onHand: number; reserved: number };
    },
    async coupon(body: Record<string, unknown>) {
      const res = await t.http().post('/admin/coupons').set(admin()).send({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 100, ...body }).expect(201);
      return res.body as { id: number };
    },
    async issue(userId: number, couponId: number): Promise<number> {
      return (await t.http().post(`/coupons/${couponId}/issue`).set(bearer(t.token(userId))).expect(201)).body.userCouponId;
    },
    order(userId: number, items: { productOptionId: number; quantity: number }[], userCouponId?: number) {
      return t.http().post('/orders').set(bearer(t.token(userId))).send(userCouponId ? { items, userCouponId } : { items });
    },
    charge(userId: number, amount: number) {
      return t.http().post('/me/balance/charge').set(bearer(t.token(userId))).send({ amount }).expect(200);
    },
  };
}
