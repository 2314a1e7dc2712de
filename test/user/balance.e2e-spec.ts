import { bearer, createTestApp, TestApp } from '../support/test-app';
import { concurrently, countBy } from '../support/http';

describe('balance (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a new user has a balance of 0 and no logs', async () => {
    const auth = bearer(t.token(101));
    await t.http().get('/me/balance').set(auth).expect(200, { userId: 101, balance: 0 });
    await t.http().get('/me/balance/logs').set(auth).expect(200, { items: [], nextCursor: null });
  });

  it('charges add up and each leaves a CHARGE log with the balance after it', async () => {
    const auth = bearer(t.token(102));
    await t.http().post('/me/balance/charge').set(auth).send({ amount: 1_000 }).expect(200, { userId: 102, balance: 1_000 });
    await t.http().post('/me/balance/charge').set(auth).send({ amount: 10_000_000 }).expect(200, { userId: 102, balance: 10_001_000 });
    const logs = await t.http().get('/me/balance/logs').set(auth).expect(200);
    expect(logs.body.items).toEqual([
      expect.objectContaining({ type: 'CHARGE', amount: 10_000_000, balanceAfter: 10_001_000, orderId: null }),
      expect.objectContaining({ type: 'CHARGE', amount: 1_000, balanceAfter: 1_000, orderId: null }),
    ]);
    expect(new Date(logs.body.items[0].createdAt).toISOString()).toBe(logs.body.items[0].createdAt);
  });

  it('100 simultaneous charges to one user all succeed and add up exactly, with matching logs', async () => {
    const auth = bearer(t.token(103));
    const responses = await concurrently(100, (i) => t.http().post('/me/balance/charge').set(auth).send({ amount: i + 1 }));
    expect(countBy(responses, (r) => r.status)).toEqual({ 200: 100 });
    const expected = (100 * 101) / 2;
    await t.http().get('/me/balance').set(auth).expect(200, { userId: 103, balance: expected });

    // Every response saw a distinct balance, and the logs form one unbroken chain of balances.
    expect(new Set(responses.map((r) => r.body.balance)).size).toBe(100);
    const [{ sum, count }] = await t.db.query(
      `SELECT COALESCE(SUM(amount), 0)::bigint AS sum, COUNT(*) AS count FROM balance_logs WHERE user_id = 103 AND type = 'CHARGE'`,
    );
    expect({ sum, count }).toEqual({ sum: expected, count: 100 });
    const chain: { amount: number; balance_after: number }[] = await t.db.query(
      'SELECT amount, balance_after FROM balance_logs WHERE user_id = 103 ORDER BY balance_after',
    );
    chain.reduce((before, log) => {
      expect(log.balance_after).toBe(before + log.amount);
      return log.balance_after;
    }, 0);
  });

  it('pages logs newest first with a cursor until nextCursor is null', async () => {
    const auth = bearer(t.token(104));
    for (let i = 1; i <= 5; i++) await t.http().post('/me/balance/charge').set(auth).send({ amount: i * 10 }).expect(200);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { amount: number }[]; nextCursor: string | null } } = await t
        .http()
        .get('/me/balance/logs')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(auth)
        .expect(200);
      seen.push(...res.body.items.map((l) => l.amount));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([50, 40, 30, 20, 10]);
    expect(pages).toBe(3);
  });

  it("never shows another user's logs", async () => {
    await t.http().post('/me/balance/charge').set(bearer(t.token(105))).send({ amount: 77 }).expect(200);
    const other = await t.http().get('/me/balance/logs').set(bearer(t.token(106))).expect(200);
    expect(other.body.items).toEqual([]);
  });

  it.each([
    ['zero', { amount: 0 }],
    ['negative', { amount: -1 }],
    ['above 10,000,000', { amount: 10_000_001 }],
    ['a fraction', { amount: 1.5 }],
    ['a numeric string', { amount: '100' }],
    ['missing', {}],
    ['with an unknown property', { amount: 100, bonus: 1 }],
  ])('refuses a charge %s with 400 VALIDATION_FAILED and changes nothing', async (_, body) => {
    const auth = bearer(t.token(107));
    const res = await t.http().post('/me/balance/charge').set(auth).send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    await t.http().get('/me/balance').set(auth).expect(200, { userId: 107, balance: 0 });
  });

  it.each([
    ['limit=0', { limit: '0' }],
    ['limit=101', { limit: '101' }],
    ['limit=abc', { limit: 'abc' }],
    ['limit=1.5', { limit: '1.5' }],
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }],
    ['an unknown query parameter', { page: '1' }],
  ])('refuses logs with %s as 400 VALIDATION_FAILED', async (_, query) => {
    const res = await t.http().get('/me/balance/logs').query(query).set(bearer(t.token(108))).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('needs a token on every balance route', async () => {
    for (const [method, path] of [['get', '/me/balance'], ['post', '/me/balance/charge'], ['get', '/me/balance/logs']] as const) {
      const res = await t.http()[method](path).send({ amount: 1 }).expect(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    }
  });
});
