import { concurrently } from '../support/http';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/**
 * Totals of public and admin listings without counting a whole table per page (issue #9, "also
 * seen"): the catalog keeps an exact counter beside its products, the outbox count is capped.
 */
describe('list totals (e2e)', () => {
  let t: TestApp;
  const admin = () => bearer(t.token(1, 'admin'));
  const create = (i: number) => t.http().post('/admin/products').set(admin()).send({ name: `p${i}`, price: 1, options: [{ name: 'o', stock: 1 }] });

  beforeAll(async () => {
    t = await createTestApp({ env: { OUTBOX_POLL_INTERVAL_MS: '0', ORDER_SWEEP_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  it('GET /products counts every product created, 20 at once included, from a counter kept in the same transaction', async () => {
    await create(0).expect(201);
    await concurrently(20, (i) => create(i + 1).expect(201));
    expect((await t.http().get('/products?size=1').expect(200)).body.total).toBe(21);
    // A refused creation (duplicate option names) counts nothing.
    await t.http().post('/admin/products').set(admin()).send({ name: 'x', price: 1, options: [{ name: 'a', stock: 1 }, { name: 'a', stock: 1 }] }).expect(400);
    expect((await t.http().get('/products?page=99&size=100').expect(200)).body).toEqual({ items: [], total: 21 });

    // The total is read from the counter, not counted: a row written behind the API's back is not in it.
    await t.db.query(`INSERT INTO products (name, price) VALUES ('behind the back', 1)`);
    expect((await t.http().get('/products?size=1').expect(200)).body.total).toBe(21);
  });

  it('GET /admin/outbox counts up to 10,000 rows and says when there are more', async () => {
    const insert = (n: number, status: string) =>
      t.db.query(
        `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, status)
         SELECT gen_random_uuid(), 'data-platform-export', 'order.processed', g, '{}'::jsonb, $2 FROM generate_series(1, $1::int) g`,
        [n, status],
      );
    await insert(10_050, 'DELIVERED');
    await insert(3, 'DEAD');
    expect((await t.http().get('/admin/outbox?size=1').set(admin()).expect(200)).body).toMatchObject({ total: 10_000, totalCapped: true });
    expect((await t.http().get('/admin/outbox?status=DEAD&size=1').set(admin()).expect(200)).body).toMatchObject({ total: 3, totalCapped: false });
    const docs = (await t.http().get('/docs-json').expect(200)).body;
    expect(JSON.stringify(docs.components.schemas)).toMatch(/10,000/);
  });
});
