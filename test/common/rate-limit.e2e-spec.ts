import { bearer, createTestApp, TestApp } from '../support/test-app';

describe('rate limiting (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('answers 429 TOO_MANY_REQUESTS with Retry-After past RATE_LIMIT_PER_MINUTE, but never on /health', async () => {
    const auth = bearer(t.token(1));
    for (let i = 0; i < 5; i++) await t.http().get('/me/balance').set(auth).expect(200);
    const limited = await t.http().get('/me/balance').set(auth).expect(429);
    expect(limited.body).toEqual({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: expect.any(String) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().get('/health').expect(200);
  });
});
