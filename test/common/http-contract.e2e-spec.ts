import { JwtService } from '@nestjs/jwt';
import { bearer, createTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';

describe('HTTP contract: auth, errors, limits, headers (e2e)', () => {
  let t: TestApp;
  const sign = (payload: object, secret = TEST_JWT_SECRET, options = {}) => new JwtService({ secret }).sign(payload, options);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('authentication', () => {
    const now = () => Math.floor(Date.now() / 1000);
    it.each([
      ['no header', undefined],
      ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
      ['a malformed token', 'Bearer not-a-jwt'],
      ['a wrong signature', `Bearer ${sign({ sub: '1' }, 'another-secret-0123456789abcdef')}`],
      ['an expired token', `Bearer ${sign({ sub: '1', exp: now() - 120 })}`],
      ['sub zero', `Bearer ${sign({ sub: '0' })}`],
      ['sub not a number', `Bearer ${sign({ sub: 'alice' })}`],
      ['sub fractional', `Bearer ${sign({ sub: 1.5 })}`],
      ['no sub', `Bearer ${sign({ role: 'user' })}`],
      ['an unknown role', `Bearer ${sign({ sub: '1', role: 'root' })}`],
      ['alg none', `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.`],
    ])('answers 401 UNAUTHORIZED for %s', async (_, header) => {
      const req = t.http().get('/me/balance');
      if (header) req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    });

    it('accepts an expired token within the 30 s leeway, and a numeric sub', async () => {
      await t.http().get('/me/balance').set(bearer(sign({ sub: '9', exp: now() - 10 }))).expect(200, { userId: 9, balance: 0 });
      await t.http().get('/me/balance').set(bearer(sign({ sub: 10 }))).expect(200, { userId: 10, balance: 0 });
    });

    it('needs the admin role on /admin routes: 403 FORBIDDEN for a user, 401 without a token', async () => {
      const body = { name: 'x', price: 1, options: [{ name: 'x', stock: 1 }] };
      const res = await t.http().post('/admin/products').set(bearer(t.token(1))).send(body).expect(403);
      expect(res.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) });
      await t.http().post('/admin/products').send(body).expect(401);
      await t.http().post('/admin/products').set(bearer(t.token(1, 'admin'))).send(body).expect(201);
    });

    it('keeps health, metrics, docs and the catalog public', async () => {
      await t.http().get('/health').expect(200);
      await t.http().get('/metrics').expect(200);
      await t.http().get('/docs-json').expect(200);
      await t.http().get('/products').expect(200);
    });
  });

  describe('errors', () => {
    it('answers 404 NOT_FOUND for an unknown route, with or without a token', async () => {
      for (const auth of [{}, bearer(t.token(1)), { Authorization: 'Bearer junk' }]) {
        const res = await t.http().get('/no/such/route').set(auth).expect(404);
        expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
      }
    });

    it('answers malformed JSON with 400 and no parser detail', async () => {
      const res = await t.http().post('/me/balance/charge').set(bearer(t.token(1))).set('Content-Type', 'application/json').send('{"amount": 1').expect(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringMatching(/^Malformed request/) });
    });

    it('answers a body over 100 kB with 413', async () => {
      const res = await t.http().post('/me/balance/charge').set(bearer(t.token(1))).send({ amount: 1, pad: 'x'.repeat(101 * 1024) }).expect(413);
      expect(res.body).toEqual({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
    });

    it('lists every violation of a body in errors[]', async () => {
      const res = await t.http().post('/me/balance/charge').set(bearer(t.token(1))).send({ amount: 'lots', extra: true }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringContaining('extra'), expect.stringContaining('amount')]));
    });

    it('answers a non-integer path id with 400', async () => {
      const res = await t.http().get('/products/abc').expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('headers', () => {
    it('sets helmet headers, hides X-Powered-By and returns a request id', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('keeps a sane incoming X-Request-Id and replaces an unsafe one', async () => {
      const kept = await t.http().get('/health').set('X-Request-Id', 'trace-abc.123').expect(200);
      expect(kept.headers['x-request-id']).toBe('trace-abc.123');
      const replaced = await t.http().get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('operations', () => {
    it('reports Postgres and Redis up on /health', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
    });

    it('documents every route of the app in /docs-json, each with its error codes', async () => {
      const res = await t.http().get('/docs-json').expect(200);
      const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
      const documented = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      expect(documented.sort()).toEqual(
        [
          'GET /health',
          'GET /metrics',
          'GET /me/balance',
          'POST /me/balance/charge',
          'GET /me/balance/logs',
          'GET /products',
          'GET /products/{id}',
          'POST /admin/products',
          'PATCH /admin/products/{id}/options/{optionId}',
          'GET /me/cart',
          'POST /me/cart/items',
          'DELETE /me/cart/items/{itemId}',
          'POST /admin/coupons',
          'GET /admin/coupons/{couponId}',
          'POST /coupons/{couponId}/issue',
          'GET /me/coupons',
          'POST /orders',
          'GET /orders',
          'GET /orders/{id}',
          'POST /orders/{id}/cancel',
          'POST /payments',
          'GET /payments/{id}',
          'GET /orders/{id}/payments',
          'POST /admin/orders/{id}/refunds',
          'GET /admin/orders/{id}/refunds',
          'GET /products/top',
          'GET /admin/outbox',
          'POST /admin/outbox/{id}/retry',
          'POST /orders/{id}/checkout',
          'POST /webhooks/payment-gateway',
          'POST /admin/reconciliations',
          'GET /admin/reconciliations/{id}',
        ].sort(),
      );
      for (const [route, ops] of Object.entries(paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const codes = Object.keys(op.responses);
          expect({ route: `${method} ${route}`, has2xx: codes.some((c) => c.startsWith('2')), has503: codes.includes('503') }).toEqual({
            route: `${method} ${route}`,
            has2xx: true,
            has503: true,
          });
          const isPublic = route === '/health' || route === '/metrics' || route.startsWith('/products');
          if (!isPublic) expect({ route: `${method} ${route}`, has401: codes.includes('401') }).toEqual({ route: `${method} ${route}`, has401: true });
        }
      }
      const charge = paths['/me/balance/charge'].post.responses;
      expect(Object.keys(charge)).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
      const orderConflicts = paths['/orders'].post.responses['409'] as { content: { 'application/json': { schema: { properties: { code: { enum: string[] } } } } } };
      expect(orderConflicts.content['application/json'].schema.properties.code.enum.sort()).toEqual(
        ['COUPON_NOT_AVAILABLE', 'IDEMPOTENCY_KEY_IN_USE', 'INSUFFICIENT_STOCK', 'TOO_MANY_OPEN_ORDERS'].sort(),
      );
      expect(Object.keys(paths['/payments'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '402', '404', '409', '422', '503']));
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      await t.http().get('/docs').redirects(1).expect(200).expect('Content-Type', /html/);
    });
  });
});
