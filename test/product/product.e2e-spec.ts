import { bearer, createTestApp, TestApp } from '../support/test-app';
import { concurrently, countBy } from '../support/http';

interface OptionBody {
  id: number;
  name: string;
  stock: number;
  onHand: number;
  reserved: number;
}

interface ProductBody {
  id: number;
  name: string;
  price: number;
  options: OptionBody[];
}

describe('products (e2e)', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = bearer(t.token(1, 'admin'));
  });
  afterAll(() => t.close());

  async function createProduct(name = 'Cotton T-shirt', options = [{ name: 'S', stock: 10 }, { name: 'M', stock: 20 }], price = 19_000) {
    const res = await t.http().post('/admin/products').set(admin).send({ name, price, options }).expect(201);
    return res.body as ProductBody;
  }

  async function productCount(): Promise<number> {
    const [{ count }] = await t.db.query('SELECT count(*) AS count FROM products');
    return count;
  }

  // First on purpose: it needs the catalog empty to know the exact totals and page contents.
  it('pages an empty catalog, then pages by id ascending with the total, and returns an empty page past the end', async () => {
    await t.http().get('/products').expect(200, { items: [], total: 0 });
    const created: ProductBody[] = [];
    for (let i = 1; i <= 5; i++) {
      created.push(await createProduct(`Product ${i}`, [{ name: 'One', stock: i }, { name: 'Two', stock: 0 }]));
    }

    const page = (query: Record<string, number>) => t.http().get('/products').query(query).expect(200);
    expect((await page({ page: 1, size: 2 })).body).toEqual({ items: [created[0], created[1]], total: 5 });
    expect((await page({ page: 2, size: 2 })).body).toEqual({ items: [created[2], created[3]], total: 5 });
    expect((await page({ page: 3, size: 2 })).body).toEqual({ items: [created[4]], total: 5 });
    expect((await page({ page: 4, size: 2 })).body).toEqual({ items: [], total: 5 });
    expect((await page({ page: 1, size: 100 })).body).toEqual({ items: created, total: 5 });
    // Defaults: page 1, size 20.
    expect((await t.http().get('/products').expect(200)).body).toEqual({ items: created, total: 5 });
  });

  it('creates a product with its options: 201, onHand from stock, nothing reserved, options in the given order', async () => {
    const res = await t
      .http()
      .post('/admin/products')
      .set(admin)
      .send({ name: '  Linen shirt ', price: 39_000, options: [{ name: 'L', stock: 7 }, { name: ' S ', stock: 0 }, { name: 'M', stock: 1_000_000 }] })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Linen shirt',
      price: 39_000,
      options: [
        { id: expect.any(Number), name: 'L', stock: 7, onHand: 7, reserved: 0 },
        { id: expect.any(Number), name: 'S', stock: 0, onHand: 0, reserved: 0 },
        { id: expect.any(Number), name: 'M', stock: 1_000_000, onHand: 1_000_000, reserved: 0 },
      ],
    });
    const ids = res.body.options.map((o: OptionBody) => o.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // Public: no token needed to read it back, and it reads back identically.
    await t.http().get(`/products/${res.body.id}`).expect(200, res.body);
  });

  it('accepts the limits themselves: price 0 and 100,000,000, 50 options', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ name: `Size ${i}`, stock: i }));
    const big = await createProduct('Fifty options', fifty, 100_000_000);
    expect(big.price).toBe(100_000_000);
    expect(big.options.map((o) => o.name)).toEqual(fifty.map((o) => o.name));
    expect((await createProduct('Free sample', [{ name: 'One', stock: 1 }], 0)).price).toBe(0);
  });

  it('answers 404 PRODUCT_NOT_FOUND for a product that does not exist, and 400 for an id that is not one', async () => {
    const res = await t.http().get('/products/999999').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'PRODUCT_NOT_FOUND', message: expect.any(String) });
    expect((await t.http().get('/products/abc').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses creation with a user token (403 FORBIDDEN) or without a token (401 UNAUTHORIZED), creating nothing', async () => {
    const before = await productCount();
    const body = { name: 'Sneaky', price: 1, options: [{ name: 'One', stock: 1 }] };
    const forbidden = await t.http().post('/admin/products').set(bearer(t.token(2))).send(body).expect(403);
    expect(forbidden.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) });
    const unauthorized = await t.http().post('/admin/products').send(body).expect(401);
    expect(unauthorized.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    expect(await productCount()).toBe(before);
  });

  const fine = { name: 'Mug', price: 9_000, options: [{ name: 'White', stock: 5 }] };
  it.each([
    ['price -1', { ...fine, price: -1 }],
    ['price 100,000,001', { ...fine, price: 100_000_001 }],
    ['price 1.5', { ...fine, price: 1.5 }],
    ['price "100"', { ...fine, price: '100' }],
    ['price missing', { name: fine.name, options: fine.options }],
    ['stock -1', { ...fine, options: [{ name: 'White', stock: -1 }] }],
    ['stock 1,000,001', { ...fine, options: [{ name: 'White', stock: 1_000_001 }] }],
    ['stock 1.5', { ...fine, options: [{ name: 'White', stock: 1.5 }] }],
    ['0 options', { ...fine, options: [] }],
    ['51 options', { ...fine, options: Array.from({ length: 51 }, (_, i) => ({ name: `#${i}`, stock: 1 })) }],
    ['options not an array', { ...fine, options: { name: 'White', stock: 5 } }],
    ['an unknown property', { ...fine, discount: 10 }],
    ['an unknown option property', { ...fine, options: [{ name: 'White', stock: 5, price: 1 }] }],
    ['a blank name', { ...fine, name: '   ' }],
    ['a name of 201 characters', { ...fine, name: 'x'.repeat(201) }],
    ['a blank option name', { ...fine, options: [{ name: ' ', stock: 5 }] }],
    ['an option name of 101 characters', { ...fine, options: [{ name: 'x'.repeat(101), stock: 5 }] }],
    ['duplicate option names', { ...fine, options: [{ name: 'White', stock: 5 }, { name: ' White', stock: 1 }] }],
  ])('refuses a product with %s: 400 VALIDATION_FAILED, nothing created', async (_, body) => {
    const before = await productCount();
    const res = await t.http().post('/admin/products').set(admin).send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
    expect(await productCount()).toBe(before);
  });

  it.each([
    ['page=0', { page: '0' }],
    ['page=-1', { page: '-1' }],
    ['page=1.5', { page: '1.5' }],
    ['size=0', { size: '0' }],
    ['size=101', { size: '101' }],
    ['size=abc', { size: 'abc' }],
    ['an unknown query parameter', { sort: 'name' }],
  ])('refuses a listing with %s as 400 VALIDATION_FAILED', async (_, query) => {
    const res = await t.http().get('/products').query(query).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  describe('PATCH /admin/products/:id/options/:optionId', () => {
    const patch = (productId: number, optionId: number, body: object, auth = admin) =>
      t.http().patch(`/admin/products/${productId}/options/${optionId}`).set(auth).send(body);

    it('sets onHand and answers the whole product, other options untouched', async () => {
      const product = await createProduct();
      const [s, m] = product.options;
      const res = await patch(product.id, s.id, { onHand: 25 }).expect(200);
      expect(res.body).toEqual({ ...product, options: [{ ...s, onHand: 25, stock: 25 }, m] });
      await t.http().get(`/products/${product.id}`).expect(200, res.body);
      await patch(product.id, s.id, { onHand: 0 }).expect(200);
      expect((await t.http().get(`/products/${product.id}`).expect(200)).body.options[0]).toMatchObject({ onHand: 0, stock: 0 });
    });

    it('answers 404 PRODUCT_NOT_FOUND for an option of another product, an unknown option or product, changing nothing', async () => {
      const mine = await createProduct('Mine');
      const theirs = await createProduct('Theirs');
      for (const [productId, optionId] of [
        [mine.id, theirs.options[0].id],
        [mine.id, 999_999],
        [999_999, mine.options[0].id],
      ]) {
        const res = await patch(productId, optionId, { onHand: 3 }).expect(404);
        expect(res.body).toEqual({ statusCode: 404, code: 'PRODUCT_NOT_FOUND', message: expect.any(String) });
      }
      await t.http().get(`/products/${mine.id}`).expect(200, mine);
      await t.http().get(`/products/${theirs.id}`).expect(200, theirs);
    });

    it('refuses onHand below what unpaid orders reserve with 409 STOCK_BELOW_RESERVED, changing nothing; equal is fine', async () => {
      const product = await createProduct('Reserved', [{ name: 'One', stock: 10 }]);
      const option = product.options[0];
      // No order module yet: reserve directly. Once orders exist, POST /orders reserves through the API.
      await t.db.query('UPDATE product_options SET reserved = 7 WHERE id = $1', [option.id]);

      const res = await patch(product.id, option.id, { onHand: 6 }).expect(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'STOCK_BELOW_RESERVED', message: expect.any(String) });
      const unchanged = await t.http().get(`/products/${product.id}`).expect(200);
      expect(unchanged.body.options).toEqual([{ ...option, onHand: 10, reserved: 7, stock: 3 }]);

      const equal = await patch(product.id, option.id, { onHand: 7 }).expect(200);
      expect(equal.body.options).toEqual([{ ...option, onHand: 7, reserved: 7, stock: 0 }]);
    });

    it.each([
      ['onHand -1', { onHand: -1 }],
      ['onHand 1,000,001', { onHand: 1_000_001 }],
      ['onHand 1.5', { onHand: 1.5 }],
      ['onHand "5"', { onHand: '5' }],
      ['onHand missing', {}],
      ['an unknown property', { onHand: 5, reserved: 0 }],
    ])('refuses %s with 400 VALIDATION_FAILED, changing nothing', async (_, body) => {
      const product = await createProduct('Validated', [{ name: 'One', stock: 10 }]);
      const res = await patch(product.id, product.options[0].id, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      await t.http().get(`/products/${product.id}`).expect(200, product);
    });

    it('accepts onHand 1,000,000 and refuses non-integer ids with 400', async () => {
      const product = await createProduct('Max', [{ name: 'One', stock: 0 }]);
      const res = await patch(product.id, product.options[0].id, { onHand: 1_000_000 }).expect(200);
      expect(res.body.options[0]).toMatchObject({ onHand: 1_000_000, stock: 1_000_000 });
      const malformed = await t.http().patch('/admin/products/x/options/1').set(admin).send({ onHand: 1 }).expect(400);
      expect(malformed.body.code).toBe('VALIDATION_FAILED');
    });

    it('needs an admin token', async () => {
      const product = await createProduct('Guarded', [{ name: 'One', stock: 5 }]);
      const optionId = product.options[0].id;
      expect((await patch(product.id, optionId, { onHand: 1 }, bearer(t.token(2))).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.http().patch(`/admin/products/${product.id}/options/${optionId}`).send({ onHand: 1 }).expect(401)).body.code).toBe(
        'UNAUTHORIZED',
      );
      await t.http().get(`/products/${product.id}`).expect(200, product);
    });

    it('racing recounts and reservations never break reserved <= onHand: only 200 or 409, never a 5xx', async () => {
      const product = await createProduct('Contended', [{ name: 'One', stock: 100 }]);
      const { id: optionId } = product.options[0];
      await t.db.query('UPDATE product_options SET reserved = 50 WHERE id = $1', [optionId]);

      // Reservations go straight to SQL until the order module exists; they only ever grow here,
      // so a recount below 50 can never be right, and one at or above 80 never wrong.
      const reservations = concurrently(30, () =>
        t.db.query('UPDATE product_options SET reserved = reserved + 1 WHERE id = $1 AND reserved + 1 <= on_hand', [optionId]),
      );
      const recounts = concurrently(60, (i) => patch(product.id, optionId, { onHand: 40 + i }));
      const [responses] = await Promise.all([recounts, reservations]);

      expect(Object.keys(countBy(responses, (r) => r.status)).sort()).toEqual(['200', '409']);
      for (const [i, res] of responses.entries()) {
        const onHand = 40 + i;
        expect([200, 409]).toContain(res.status);
        if (onHand < 50) expect(res.status).toBe(409);
        if (onHand >= 80) expect(res.status).toBe(200);
        if (res.status === 200) {
          const option = res.body.options[0];
          expect(option.reserved).toBeLessThanOrEqual(option.onHand);
          expect(option.stock).toBe(option.onHand - option.reserved);
        } else {
          expect(res.body.code).toBe('STOCK_BELOW_RESERVED');
        }
      }
      const [row] = await t.db.query('SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1', [optionId]);
      expect(row.reserved).toBeLessThanOrEqual(row.onHand);
      const accepted = responses.filter((r) => r.status === 200).map((r) => r.body.options[0].onHand);
      expect(accepted).toContain(row.onHand);
    });
  });
});
