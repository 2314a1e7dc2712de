import { until } from '../support/http';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { postgresPort, redisPort } from '../support/infrastructure';
import { TcpProxy } from '../support/tcp-proxy';

describe('Postgres and Redis outages (e2e)', () => {
  let t: TestApp;
  let pg: TcpProxy;
  let redis: TcpProxy;
  const user = () => bearer(t.token(501));

  beforeAll(async () => {
    pg = await new TcpProxy(postgresPort()).start();
    redis = await new TcpProxy(redisPort()).start();
    t = await createTestApp({ via: { postgresPort: pg.port, redisPort: redis.port } });
  });
  afterAll(async () => {
    pg.restore();
    redis.restore();
    await t.close();
    await pg.stop();
    await redis.stop();
  });

  it('answers 503 SERVICE_UNAVAILABLE within 5 s while Postgres does not answer, then recovers by itself', async () => {
    await t.http().post('/me/balance/charge').set(user()).send({ amount: 100 }).expect(200);
    pg.blackhole();

    const started = Date.now();
    const [charge, read, health] = await Promise.all([
      t.http().post('/me/balance/charge').set(user()).send({ amount: 100 }),
      t.http().get('/me/balance').set(user()),
      t.http().get('/health'),
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const res of [charge, read]) {
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
    }
    expect(health.status).toBe(503);

    pg.restore();
    await until(async () => (await t.http().get('/me/balance').set(user())).status === 200, 10_000);
    // The charge that failed did not half-happen: only the first one counts.
    await t.http().get('/me/balance').set(user()).expect(200, { userId: 501, balance: 100 });
    await t.http().get('/health').expect(200);
  });

  it('reports Redis down on /health within 5 s, then up again once it is back', async () => {
    redis.blackhole();
    const started = Date.now();
    const res = await t.http().get('/health');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });

    redis.restore();
    await until(async () => (await t.http().get('/health')).status === 200, 10_000);
  });
});
