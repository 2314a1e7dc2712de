import { concurrently, countBy } from '../support/http';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** The two business limits of API.md's table (issue #9, rows 3 and 7). */
describe('business limits (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0' } });
    s = shop(t);
  });
  afterAll(() => t.close());

  describe('row 3: at most MAX_OPEN_ORDERS_PER_USER (default 10) open orders', () => {
    it('31 unpaid orders of 1,000 units: 10 placed, 21 refused with 409 TOO_MANY_OPEN_ORDERS, reserving nothing more', async () => {
      const product = await s.product(1, [100_000]);
      const statuses: string[] = [];
      for (let i = 0; i < 31; i++) {
        const res = await s.order(1, [{ productOptionId: product.options[0].id, quantity: 1_000 }]);
        statuses.push(`${res.status} ${res.body.code ?? res.body.status}`);
      }
      expect(countBy(statuses, (x) => x)).toEqual({ '201 PENDING': 10, '409 TOO_MANY_OPEN_ORDERS': 21 });
      expect(statuses.slice(0, 10).every((x) => x === '201 PENDING')).toBe(true);
      expect(await s.option(product.options[0].id)).toEqual({ onHand: 100_000, reserved: 10_000 });
    });

    it('30 creates at once: exactly 10 placed', async () => {
      const product = await s.product(1, [1_000]);
      const responses = await concurrently(30, () => s.order(2, [{ productOptionId: product.options[0].id, quantity: 1 }]));
      expect(countBy(responses, (r) => `${r.status} ${r.body.code ?? r.body.status}`)).toEqual({ '201 PENDING': 10, '409 TOO_MANY_OPEN_ORDERS': 20 });
      expect(await s.option(product.options[0].id)).toEqual({ onHand: 1_000, reserved: 10 });
    });

    it('counts PENDING and PAYING only: a paid, cancelled or expired order frees a place', async () => {
      const product = await s.product(1, [1_000]);
      const item = [{ productOptionId: product.options[0].id, quantity: 1 }];
      await s.charge(3, 1_000);
      const orders: number[] = [];
      for (let i = 0; i < 10; i++) orders.push((await s.order(3, item).expect(201)).body.id);
      expect((await s.order(3, item).expect(409)).body.code).toBe('TOO_MANY_OPEN_ORDERS');

      await s.pay(3, orders[0]).expect(201);
      await s.order(3, item).expect(201);
      await t.http().post(`/orders/${orders[1]}/cancel`).set(bearer(t.token(3))).expect(200);
      await s.order(3, item).expect(201);
      // Overdue but not swept yet: it can no longer be paid, so it holds no place.
      await t.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1`, [orders[2]]);
      await s.order(3, item).expect(201);
      await t.db.query(`UPDATE orders SET status = 'PAYING' WHERE id = $1`, [orders[3]]);
      expect((await s.order(3, item).expect(409)).body.code).toBe('TOO_MANY_OPEN_ORDERS');
      // Other users are not affected.
      await s.order(4, item).expect(201);
    });

    it('is replayed for the same Idempotency-Key like any business error', async () => {
      const product = await s.product(1, [100]);
      const item = [{ productOptionId: product.options[0].id, quantity: 1 }];
      for (let i = 0; i < 10; i++) await s.order(5, item).expect(201);
      const send = () => t.http().post('/orders').set(bearer(t.token(5))).set('Idempotency-Key', 'over-the-cap').send({ items: item });
      expect((await send().expect(409)).body.code).toBe('TOO_MANY_OPEN_ORDERS');
      const replay = await send().expect(409);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });
  });

  describe('row 7: a balance of at most 1,000,000,000 won', () => {
    const balanceOf = async (userId: number) => (await t.http().get('/me/balance').set(bearer(t.token(userId))).expect(200)).body.balance;
    const charge = (userId: number, amount: number) => t.http().post('/me/balance/charge').set(bearer(t.token(userId))).send({ amount });
    const logs = async (userId: number) => (await t.db.query(`SELECT count(*)::int AS n FROM balance_logs WHERE user_id = $1`, [userId]))[0].n;

    it('charges up to the ceiling exactly, and answers one won more with 409 BALANCE_LIMIT_EXCEEDED, changing nothing', async () => {
      await concurrently(100, () => charge(10, 10_000_000).expect(200));
      expect(await balanceOf(10)).toBe(1_000_000_000);
      const res = await charge(10, 1).expect(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'BALANCE_LIMIT_EXCEEDED', message: expect.any(String) });
      expect(await balanceOf(10)).toBe(1_000_000_000);
      expect(await logs(10)).toBe(100);
    });

    it('20 charges of 1,000,000 at once on 990,000,000: exactly 10 pass', async () => {
      await concurrently(99, () => charge(11, 10_000_000).expect(200));
      const responses = await concurrently(20, () => charge(11, 1_000_000));
      expect(countBy(responses, (r) => r.status)).toEqual({ 200: 10, 409: 10 });
      expect(await balanceOf(11)).toBe(1_000_000_000);
      expect(await logs(11)).toBe(109);
    });

    it('answers 409, not 500, for an account already near 2^53 (data from before the ceiling)', async () => {
      await charge(12, 1).expect(200);
      await t.db.query('UPDATE user_accounts SET balance = $1 WHERE id = 12', [Number.MAX_SAFE_INTEGER - 5]);
      expect((await charge(12, 10_000_000).expect(409)).body.code).toBe('BALANCE_LIMIT_EXCEEDED');
      expect(await balanceOf(12)).toBe(Number.MAX_SAFE_INTEGER - 5);
    });

    it('documents the new code on the charge route', async () => {
      const docs = (await t.http().get('/docs-json').expect(200)).body;
      expect(docs.paths['/me/balance/charge'].post.responses['409'].content['application/json'].schema.properties.code.enum).toContain('BALANCE_LIMIT_EXCEEDED');
      expect(docs.paths['/orders'].post.responses['409'].content['application/json'].schema.properties.code.enum).toContain('TOO_MANY_OPEN_ORDERS');
    });
  });
});

describe('MAX_OPEN_ORDERS_PER_USER (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', MAX_OPEN_ORDERS_PER_USER: '2' } });
  });
  afterAll(() => t.close());

  it('is the cap when set', async () => {
    const s = shop(t);
    const product = await s.product(1, [10]);
    const responses = await concurrently(5, () => s.order(1, [{ productOptionId: product.options[0].id, quantity: 1 }]));
    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 2, 409: 3 });
  });
});
