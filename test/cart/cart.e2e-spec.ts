import { bearer, createTestApp, TestApp } from '../support/test-app';
import { concurrently, countBy } from '../support/http';

interface ProductBody {
  id: number;
  name: string;
  price: number;
  options: { id: number; name: string }[];
}

describe('cart (e2e)', () => {
  let t: TestApp;
  let shirt: ProductBody;
  let mug: ProductBody;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = bearer(t.token(1, 'admin'));
    const create = async (body: object) => (await t.http().post('/admin/products').set(admin).send(body).expect(201)).body as ProductBody;
    shirt = await create({
      name: 'Cotton T-shirt',
      price: 19_000,
      options: [{ name: 'S', stock: 5 }, { name: 'M', stock: 0 }, { name: 'L', stock: 3 }],
    });
    mug = await create({ name: 'Mug', price: 7_500, options: [{ name: 'White', stock: 10 }] });
  });
  afterAll(() => t.close());

  const cartOf = async (userId: number) => (await t.http().get('/me/cart').set(bearer(t.token(userId))).expect(200)).body;
  const add = (userId: number, body: object) => t.http().post('/me/cart/items').set(bearer(t.token(userId))).send(body);

  it('starts empty', async () => {
    expect(await cartOf(201)).toEqual({ items: [] });
  });

  it('adds an item and answers 201 with the whole cart, names and price from the catalog', async () => {
    const res = await add(202, { productOptionId: shirt.options[0].id, quantity: 2 }).expect(201);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.any(Number),
          productId: shirt.id,
          productOptionId: shirt.options[0].id,
          productName: 'Cotton T-shirt',
          optionName: 'S',
          unitPrice: 19_000,
          quantity: 2,
        },
      ],
    });
    expect(await cartOf(202)).toEqual(res.body);
  });

  it('adds to the quantity of an option already in the cart, keeping one item; other options get items of their own, oldest first', async () => {
    const first = await add(203, { productOptionId: shirt.options[0].id, quantity: 2 }).expect(201);
    const again = await add(203, { productOptionId: shirt.options[0].id, quantity: 3 }).expect(201);
    expect(again.body.items).toEqual([{ ...first.body.items[0], quantity: 5 }]);

    // An option with no stock left may still sit in a cart; stock is checked when ordering.
    const more = await add(203, { productOptionId: shirt.options[1].id, quantity: 1 }).expect(201);
    const mugs = await add(203, { productOptionId: mug.options[0].id, quantity: 4 }).expect(201);
    expect(mugs.body.items).toEqual([
      { ...first.body.items[0], quantity: 5 },
      more.body.items[1],
      {
        id: expect.any(Number),
        productId: mug.id,
        productOptionId: mug.options[0].id,
        productName: 'Mug',
        optionName: 'White',
        unitPrice: 7_500,
        quantity: 4,
      },
    ]);
    expect(more.body.items[1]).toMatchObject({ productOptionId: shirt.options[1].id, optionName: 'M', quantity: 1 });
    const ids = mugs.body.items.map((i: { id: number }) => i.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('caps one option at 1000 in the cart: 400 VALIDATION_FAILED saying so, quantity unchanged', async () => {
    const optionId = shirt.options[2].id;
    await add(204, { productOptionId: optionId, quantity: 600 }).expect(201);
    const over = await add(204, { productOptionId: optionId, quantity: 401 }).expect(400);
    expect(over.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('1000') });
    expect((await cartOf(204)).items).toEqual([expect.objectContaining({ productOptionId: optionId, quantity: 600 })]);

    const full = await add(204, { productOptionId: optionId, quantity: 400 }).expect(201);
    expect(full.body.items).toEqual([expect.objectContaining({ productOptionId: optionId, quantity: 1_000 })]);
    await add(204, { productOptionId: optionId, quantity: 1 }).expect(400);
    expect((await cartOf(204)).items).toEqual([expect.objectContaining({ quantity: 1_000 })]);
  });

  it('accepts 1000 at once in a new item', async () => {
    const res = await add(205, { productOptionId: mug.options[0].id, quantity: 1_000 }).expect(201);
    expect(res.body.items).toEqual([expect.objectContaining({ quantity: 1_000 })]);
  });

  it('answers 404 PRODUCT_NOT_FOUND for an option that does not exist, adding nothing', async () => {
    const res = await add(206, { productOptionId: 999_999, quantity: 1 }).expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'PRODUCT_NOT_FOUND', message: expect.any(String) });
    expect(await cartOf(206)).toEqual({ items: [] });
  });

  it('removes an item with 204; removing it again answers 404 CART_ITEM_NOT_FOUND', async () => {
    const auth = bearer(t.token(207));
    await add(207, { productOptionId: shirt.options[0].id, quantity: 1 }).expect(201);
    const cart = await add(207, { productOptionId: mug.options[0].id, quantity: 1 }).expect(201);
    const [shirtItem, mugItem] = cart.body.items;

    const res = await t.http().delete(`/me/cart/items/${shirtItem.id}`).set(auth).expect(204);
    expect(res.text).toBe('');
    expect(await cartOf(207)).toEqual({ items: [mugItem] });

    const again = await t.http().delete(`/me/cart/items/${shirtItem.id}`).set(auth).expect(404);
    expect(again.body).toEqual({ statusCode: 404, code: 'CART_ITEM_NOT_FOUND', message: expect.any(String) });
  });

  it("treats another user's item as missing: 404 CART_ITEM_NOT_FOUND, and their item stays; nor does it show in my cart", async () => {
    const theirs = (await add(208, { productOptionId: mug.options[0].id, quantity: 3 }).expect(201)).body.items[0];
    const res = await t.http().delete(`/me/cart/items/${theirs.id}`).set(bearer(t.token(209))).expect(404);
    expect(res.body.code).toBe('CART_ITEM_NOT_FOUND');
    expect(await cartOf(208)).toEqual({ items: [theirs] });
    expect(await cartOf(209)).toEqual({ items: [] });
  });

  it('counts 20 simultaneous adds of one option by one user exactly once each, in one row', async () => {
    const optionId = shirt.options[0].id;
    const responses = await concurrently(20, () => add(210, { productOptionId: optionId, quantity: 1 }));
    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 20 });
    expect((await cartOf(210)).items).toEqual([expect.objectContaining({ productOptionId: optionId, quantity: 20 })]);
    const rows = await t.db.query('SELECT quantity FROM cart_items WHERE user_id = 210');
    expect(rows).toEqual([{ quantity: 20 }]);
  });

  it('never lets simultaneous adds pass the cap of 1000', async () => {
    const optionId = mug.options[0].id;
    const responses = await concurrently(30, () => add(211, { productOptionId: optionId, quantity: 40 }));
    // 25 adds of 40 reach exactly 1000; every further one would pass it.
    expect(countBy(responses, (r) => r.status)).toEqual({ 201: 25, 400: 5 });
    expect((await cartOf(211)).items).toEqual([expect.objectContaining({ quantity: 1_000 })]);
  });

  it('needs a token on every cart route', async () => {
    for (const [method, path] of [['get', '/me/cart'], ['post', '/me/cart/items'], ['delete', '/me/cart/items/1']] as const) {
      const res = await t.http()[method](path).send({ productOptionId: shirt.options[0].id, quantity: 1 }).expect(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    }
  });

  it.each([
    ['quantity 0', { quantity: 0 }],
    ['quantity 1001', { quantity: 1_001 }],
    ['quantity -1', { quantity: -1 }],
    ['quantity 1.5', { quantity: 1.5 }],
    ['quantity "1"', { quantity: '1' }],
    ['quantity missing', { quantity: undefined }],
    ['productOptionId missing', { productOptionId: undefined }],
    ['productOptionId "1"', { productOptionId: '1' }],
    ['productOptionId 0', { productOptionId: 0 }],
    ['productOptionId beyond any id', { productOptionId: 1e20 }],
    ['an unknown property', { unitPrice: 1 }],
  ])('refuses an add with %s: 400 VALIDATION_FAILED, cart unchanged', async (_, change) => {
    const body = { productOptionId: shirt.options[0].id, quantity: 1, ...change };
    const res = await add(212, body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
    expect(await cartOf(212)).toEqual({ items: [] });
  });

  it('refuses a non-integer item id with 400', async () => {
    const res = await t.http().delete('/me/cart/items/abc').set(bearer(t.token(213))).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
