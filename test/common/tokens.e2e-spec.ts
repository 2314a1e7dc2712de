import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { ChildApp } from '../support/child-app';
import { bearer, createTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';

/**
 * Bearer tokens as API.md's "Authentication" defines them: HS256 with the shared secret only,
 * a case-insensitive scheme (issue #9, row 12), claims read strictly, and never written to a
 * log, wherever a client puts them (row 11).
 */
describe('bearer tokens (e2e)', () => {
  let t: TestApp;
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (payload: object, options: object = {}) => new JwtService({ secret: TEST_JWT_SECRET }).sign(payload, options);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('row 12: the scheme is case-insensitive (RFC 7235)', () => {
    it.each(['bearer', 'BEARER', 'bEaReR', 'Bearer'])('accepts %s', async (scheme) => {
      await t.http().get('/me/balance').set('Authorization', `${scheme} ${t.token(1)}`).expect(200, { userId: 1, balance: 0 });
    });

    it.each([
      ['another scheme', (token: string) => `Token ${token}`],
      ['no space', (token: string) => `Bearer${token}`],
      ['a tab', (token: string) => `Bearer\t${token}`],
      ['a scheme alone', () => 'bearer'],
    ])('still refuses %s', async (_, header) => {
      await t.http().get('/me/balance').set('Authorization', header(t.token(1))).expect(401);
    });
  });

  describe('what held and must keep holding: only HS256 with our secret, strict claims', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each([
      ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '1', role: 'admin' })}.`],
      ['alg none with a signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '1' })}.${b64({ x: 1 })}`],
      ['HS512 with our secret', () => sign({ sub: '1' }, { algorithm: 'HS512' })],
      ['HS384 with our secret', () => sign({ sub: '1' }, { algorithm: 'HS384' })],
      ['RS256 with a key of its own', () => new JwtService({ privateKey }).sign({ sub: '1' }, { algorithm: 'RS256' })],
      ['HS256 signed with a public key as the secret (key confusion)', () => new JwtService({ secret: pem }).sign({ sub: '1' })],
      ['a token whose header claims RS256 but is signed HS256', () => {
        const [, payload, signature] = sign({ sub: '1' }).split('.');
        return `${b64({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`;
      }],
      ['expired beyond the leeway', () => sign({ sub: '1', exp: now() - 31 })],
      ['not valid yet', () => sign({ sub: '1', nbf: now() + 3_600 })],
      ['sub negative', () => sign({ sub: -1 })],
      ['sub beyond 2^53', () => sign({ sub: '9007199254740993' })],
      ['sub in exponent form', () => sign({ sub: '1e3' })],
      ['sub with a space', () => sign({ sub: ' 1' })],
      ['sub as a list', () => sign({ sub: ['1'] } as object)],
      ['sub as an object', () => sign({ sub: { id: 1 } } as object)],
      ['role in capitals', () => sign({ sub: '1', role: 'ADMIN' })],
      ['role as a list', () => sign({ sub: '1', role: ['admin'] })],
      ['role null', () => sign({ sub: '1', role: null })],
      ['an empty token', () => ''],
    ])('answers 401 UNAUTHORIZED for %s', async (_, token) => {
      const res = await t.http().get('/me/balance').set('Authorization', `Bearer ${token()}`).expect(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: expect.any(String) });
    });

    it('never lets an admin claim through without the admin role', async () => {
      await t.http().get('/admin/outbox').set(bearer(sign({ sub: '1', role: 'user' }))).expect(403);
      await t.http().get('/admin/outbox').set(bearer(sign({ sub: '1', admin: true, roles: ['admin'] }))).expect(403);
      await t.http().get('/admin/outbox').set(bearer(sign({ sub: '1', role: 'admin' }))).expect(200);
    });
  });
});

describe('tokens never reach the log (row 11, e2e against the built server)', () => {
  const app = new ChildApp({ LOG_LEVEL: 'info' });

  beforeAll(async () => {
    await app.createDatabase();
    await app.start();
  });
  afterAll(() => app.dropDatabase());

  it('redacts a token sent in a query string or a path, whatever the parameter is called', async () => {
    const token = app.token(1);
    const signature = token.split('.')[2];
    const urls = [
      `/me/balance?access_token=${token}`,
      `/me/balance?jwt=${token}`,
      `/products?page=1&x=${token}`,
      `/products?Authorization=Bearer%20${token}`,
      `/products?id_token=opaque-secret-value`,
      `/orders/${token}`,
      `/no/such/route?token=${token}`,
    ];
    for (const url of urls) await fetch(`${app.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((r) => setTimeout(r, 300));

    const lines = app.output.split('\n').filter((line) => line.includes('"req"'));
    expect(lines.length).toBeGreaterThanOrEqual(urls.length);
    expect(app.output).not.toContain(signature);
    expect(app.output).not.toContain('opaque-secret-value');
    // What stays is enough to see what was asked.
    expect(app.output).toContain('/me/balance?access_token=[REDACTED]');
    expect(app.output).toContain('/products?page=1&x=[REDACTED]');
  });
});
