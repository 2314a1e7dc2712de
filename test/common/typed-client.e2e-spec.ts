import createClient from 'openapi-fetch';
import type { paths } from '../support/shop-api';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A client as an API team would generate it from /docs-json: types by openapi-typescript
 * (test/support/shop-api.d.ts, kept current by npm run lint:openapi) and calls by openapi-fetch.
 * It compiles only while the document types every path, parameter and body the way these calls
 * use them (npm run typecheck), and it places an order and pays it as a shopper would.
 */
describe('a client generated from the OpenAPI document (e2e)', () => {
  let t: TestApp;
  const client = (userId: number, role: 'user' | 'admin' = 'user') =>
    createClient<paths>({ baseUrl: t.baseUrl, headers: { authorization: `Bearer ${t.token(userId, role)}` } });

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  it('places an order and pays it from the balance, reading each answer as its generated type', async () => {
    const admin = client(1, 'admin');
    const shopper = client(2);

    const product = await admin.POST('/admin/products', { body: { name: 'Typed T-shirt', price: 19_000, options: [{ name: 'M', stock: 3 }] } });
    expect(product.response.status).toBe(201);
    const optionId = product.data!.options[0].id;

    const charged = await shopper.POST('/me/balance/charge', { body: { amount: 50_000 }, params: { header: { 'Idempotency-Key': 'typed-charge-1' } } });
    expect(charged.data).toEqual({ userId: 2, balance: 50_000 });

    const placed = await shopper.POST('/orders', { body: { items: [{ productOptionId: optionId, quantity: 2 }] } });
    expect(placed.response.status).toBe(201);
    const order = placed.data!;
    expect(order).toMatchObject({ status: 'PENDING', finalAmount: 38_000, items: [{ productOptionId: optionId, quantity: 2, unitPrice: 19_000 }] });

    const paid = await shopper.POST('/payments', { body: { orderId: order.id } });
    expect(paid.response.status).toBe(201);
    expect(paid.data).toMatchObject({ orderId: order.id, userId: 2, amount: 38_000, method: 'BALANCE', status: 'COMPLETED', approvalNumber: null });

    const read = await shopper.GET('/orders/{id}', { params: { path: { id: order.id } } });
    expect(read.data?.status).toBe('PAID');
    const logs = await shopper.GET('/me/balance/logs', { params: { query: { limit: 1 } } });
    expect(logs.data).toEqual({ items: [expect.objectContaining({ type: 'USE', amount: 38_000, balanceAfter: 12_000, orderId: order.id })], nextCursor: expect.any(String) });
    const top = await shopper.GET('/products/top', { params: { query: { days: 1, limit: 5 } } });
    expect(top.response.status).toBe(200);
  });

  it('reads a refusal as the error type the document gives that status', async () => {
    const shopper = client(3);
    const refused = await shopper.POST('/payments', { body: { orderId: 999_999 } });
    expect(refused.response.status).toBe(404);
    expect(refused.error).toEqual({ statusCode: 404, code: 'ORDER_NOT_FOUND', message: expect.any(String) });
    const invalid = await shopper.GET('/me/balance/logs', { params: { query: { limit: 101 } } });
    expect(invalid.error).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });
});
