import { send } from '../support/raw-http';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/**
 * Text fields (names) as API.md's limits define them (issue #9, rows 6 and 13): lengths count
 * characters (code points), NUL and lone surrogates are refused, and whatever the text, it is
 * stored and read back exactly as given: it is data, never SQL.
 */
describe('text fields (e2e)', () => {
  let t: TestApp;
  const admin = () => ({ authorization: `Bearer ${t.token(1, 'admin')}` });
  const createProduct = (json: string) => send(t.baseUrl, 'POST', '/admin/products', { body: json, headers: admin() });
  const createCoupon = (json: string) => send(t.baseUrl, 'POST', '/admin/coupons', { body: json, headers: admin() });
  const product = (name: string, optionName = 'One') => JSON.stringify({ name, price: 1_000, options: [{ name: optionName, stock: 1 }] });
  const coupon = (name: string) => JSON.stringify({ name, discountType: 'FIXED', discountValue: 100, totalQuantity: 1 });
  const count = async (table: string): Promise<number> => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('row 6: NUL in a name', () => {
    it.each([
      ['a product name', () => createProduct(product('a\u0000b'))],
      ['an option name', () => createProduct(product('fine', 'a\u0000b'))],
      ['a coupon name', () => createCoupon(coupon('a\u0000b'))],
    ])('refuses %s holding NUL with 400, storing nothing', async (_, create) => {
      const before = (await count('products')) + (await count('coupons'));
      const answer = await create();
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 400,
        body: { statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String), errors: [expect.stringMatching(/name .*NUL/)] },
      });
      expect((await count('products')) + (await count('coupons'))).toBe(before);
    });
  });

  describe('row 13: characters, not UTF-16 units', () => {
    const emoji = (n: number) => '😀'.repeat(n);

    it('accepts a product name of 150 emoji, and of 200 (the limit), and reads them back unchanged', async () => {
      for (const name of [emoji(150), emoji(200)]) {
        const answer = await createProduct(product(name, emoji(100)));
        expect(answer.status).toBe(201);
        expect(answer.body.name).toBe(name);
        expect((await t.http().get(`/products/${answer.body.id}`).expect(200)).body).toMatchObject({ name, options: [{ name: emoji(100) }] });
      }
    });

    it('refuses 201 emoji for a product, 101 for an option', async () => {
      expect((await createProduct(product(emoji(201)))).status).toBe(400);
      expect((await createProduct(product('fine', emoji(101)))).status).toBe(400);
    });

    it('counts a character with a variation selector as the two code points Postgres stores', async () => {
      const heart = '❤️';
      expect([...heart].length).toBe(2);
      expect((await createProduct(product(heart.repeat(100)))).status).toBe(201);
      expect((await createProduct(product(heart.repeat(100) + 'x'))).status).toBe(400);
    });

    it('accepts a coupon name of 200 emoji', async () => {
      const answer = await createCoupon(coupon(emoji(200)));
      expect(answer.status).toBe(201);
      expect((await t.http().get(`/admin/coupons/${answer.body.id}`).set(bearer(t.token(1, 'admin'))).expect(200)).body.name).toBe(emoji(200));
    });

    it.each([
      ['a lone high surrogate', '"a\\ud800b"'],
      ['a lone low surrogate', '"a\\udc00b"'],
      ['surrogates in the wrong order', '"a\\udc00\\ud800b"'],
    ])('refuses %s instead of storing U+FFFD', async (_, name) => {
      const before = await count('products');
      const answer = await createProduct(`{"name":${name},"price":1,"options":[{"name":"One","stock":1}]}`);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(await count('products')).toBe(before);
      expect((await createCoupon(`{"name":${name},"discountType":"FIXED","discountValue":1,"totalQuantity":1}`)).status).toBe(400);
    });
  });

  describe('no SQL from input', () => {
    it.each([
      "Robert'); DROP TABLE products; --",
      "' OR '1'='1",
      '$1; SELECT pg_sleep(10)',
      '\\x00\\\\ E\'\\\'',
      '%s%s%n ${injection} {{7*7}}',
    ])('stores %p verbatim, and the tables are still there', async (name) => {
      const created = await createProduct(product(name, name.slice(0, 100)));
      expect(created.status).toBe(201);
      expect((await t.http().get(`/products/${created.body.id}`).expect(200)).body).toMatchObject({ name: name.trim(), options: [{ name: name.slice(0, 100).trim() }] });
      expect((await createCoupon(coupon(name))).status).toBe(201);
      expect(await count('products')).toBeGreaterThan(0);
    });

    it('treats SQL in query strings and path segments as a bad value', async () => {
      const user = bearer(t.token(2));
      for (const path of ["/orders?status=PAID'%20OR%201=1--", '/orders/1%20OR%201=1', "/products?page=1;DROP%20TABLE%20products", "/me/balance/logs?cursor='%20OR%201=1--"]) {
        const res = await t.http().get(path).set(user);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      }
    });
  });
});
