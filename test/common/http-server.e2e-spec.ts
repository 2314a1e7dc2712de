import { AddressInfo, Socket } from 'node:net';
import { parseRawResponse, rawExchange, sleep } from '../support/raw-http';
import { until } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The HTTP server itself, spoken to over raw sockets the way slow, careless or hostile clients
 * do (issue #9, rows 8, 14 and 15, and request smuggling). The timeouts are set small here;
 * production takes the same settings with larger defaults.
 */
describe('HTTP server: timeouts, malformed requests, repeated headers (e2e)', () => {
  let t: TestApp;
  let port: number;
  const HEADERS_MS = 1_000;
  const REQUEST_MS = 2_000;
  const KEEP_ALIVE_MS = 500;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
      },
    });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Writes `text` one piece every `everyMs` until the socket closes. */
  async function trickle(socket: Socket, pieces: string[], everyMs: number): Promise<void> {
    for (const piece of pieces) {
      if (socket.destroyed) return;
      socket.write(piece);
      await sleep(everyMs);
    }
  }

  const expectTimeoutAnswer = (received: string) =>
    expect(parseRawResponse(received)).toMatchObject({ status: 408, body: { statusCode: 408, code: 'REQUEST_TIMEOUT', message: expect.any(String) } });

  describe('row 8: slow clients do not hold sockets', () => {
    it('closes a connection whose headers trickle in, after HTTP_HEADERS_TIMEOUT_MS, with 408', async () => {
      const headers = ['GET /health HTTP/1.1\r\nHost: x\r\n', ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: 1\r\n`)];
      const { received, closedAfterMs } = await rawExchange(port, (s) => trickle(s, headers, 100), 8_000);
      expect(closedAfterMs).not.toBeNull();
      expect(closedAfterMs!).toBeGreaterThanOrEqual(HEADERS_MS - 50);
      expect(closedAfterMs!).toBeLessThan(HEADERS_MS + 1_500);
      expectTimeoutAnswer(received);
    });

    it('closes a connection whose body comes at one byte at a time, after HTTP_REQUEST_TIMEOUT_MS, with 408', async () => {
      const head = `POST /me/balance/charge HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.token(1)}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
      const { received, closedAfterMs } = await rawExchange(port, (s) => trickle(s, [head, ...'{"amount":1'.split('')], 300), 10_000);
      expect(closedAfterMs).not.toBeNull();
      expect(closedAfterMs!).toBeGreaterThanOrEqual(REQUEST_MS - 50);
      expect(closedAfterMs!).toBeLessThan(REQUEST_MS + 1_500);
      expectTimeoutAnswer(received);
      expect((await t.http().get('/me/balance').set('Authorization', `Bearer ${t.token(1)}`).expect(200)).body.balance).toBe(0);
    });

    it('closes a connection that never sends anything', async () => {
      const { closedAfterMs } = await rawExchange(port, () => undefined, 8_000);
      expect(closedAfterMs).not.toBeNull();
      expect(closedAfterMs!).toBeLessThan(HEADERS_MS + 1_500);
    });

    it('closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS, once its answer is sent', async () => {
      const { received, closedAfterMs } = await rawExchange(port, (s) => void s.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'), 8_000);
      expect(parseRawResponse(received).status).toBe(200);
      expect(closedAfterMs).not.toBeNull();
      // Node waits a second more than it tells the client (keepAliveTimeoutBuffer), so that a request racing the close is not lost.
      expect(closedAfterMs!).toBeLessThan(KEEP_ALIVE_MS + 1_000 + 1_000);
    });

    it('drops a connection whose client sends requests but stops reading the answers, within HTTP_REQUEST_TIMEOUT_MS', async () => {
      const server = t.app.getHttpServer() as import('node:http').Server;
      const connections = () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
      const docs = Buffer.byteLength((await t.http().get('/docs-json').expect(200)).text);
      await sleep(KEEP_ALIVE_MS + 1_500);
      expect(await connections()).toBe(0);

      const socket = new Socket();
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
      socket.pause();
      // Far more answers than the socket buffers of both ends hold: the server is left with bytes it cannot send.
      socket.write('GET /docs-json HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(Math.ceil((96 * 1024 * 1024) / docs)));
      await sleep(1_000);
      expect(await connections()).toBe(1);
      // The next request waits unparsed behind the answers that cannot be sent and the request
      // timeout runs out on it, or nothing moves on the socket for that long: either closes it,
      // a few seconds after the server has written all it could (how long that takes depends on
      // the size of the answer).
      await until(async () => (await connections()) === 0, REQUEST_MS + 5_000);
      socket.destroy();
    });

    it('still serves a normal request on a fresh connection', async () => {
      await t.http().get('/health').expect(200);
    });
  });

  describe('row 14: protocol errors answer in the contract shape', () => {
    it('answers headers over the limit with 431 and a JSON body', async () => {
      const { received } = await rawExchange(port, (s) => void s.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 5_000);
      expect(parseRawResponse(received)).toMatchObject({
        status: 431,
        body: { statusCode: 431, code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: expect.any(String) },
      });
    });

    it('answers a malformed request line with 400 VALIDATION_FAILED and a JSON body', async () => {
      const { received } = await rawExchange(port, (s) => void s.write('GET /health HTTP/1.1 extra\r\n\r\n'), 5_000);
      expect(parseRawResponse(received)).toMatchObject({ status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) } });
    });
  });

  describe('no request smuggling', () => {
    const smuggled = 'GET /products HTTP/1.1\r\nHost: x\r\n\r\n';
    it.each([
      ['Content-Length and Transfer-Encoding together', `POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`],
      ['two different Content-Lengths', `POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd${smuggled}`],
      ['a Transfer-Encoding that does not end in chunked', `POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${smuggled}`],
      ['a space before the colon', `POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n${smuggled}`],
      ['an obsolete folded header', `POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n${smuggled}`],
      ['a bad chunk size', `POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n${smuggled}`],
      ['bare LF line endings', `POST /health HTTP/1.1\nHost: x\nContent-Length: 2\n\nab${smuggled}`],
    ])('answers %s with one 400 and closes, never reaching the request behind it', async (_, raw) => {
      const { received, closedAfterMs } = await rawExchange(port, (s) => void s.write(raw), 5_000);
      expect(closedAfterMs).not.toBeNull();
      expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
      expect(parseRawResponse(received)).toMatchObject({ status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED' } });
    });
  });

  describe('row 15: a header that must appear once', () => {
    const request = (headers: string[], body = '{"amount":1}') =>
      `POST /me/balance/charge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
    const balance = async (userId: number) => (await t.http().get('/me/balance').set('Authorization', `Bearer ${t.token(userId)}`).expect(200)).body.balance;

    it.each([
      ['two Authorization headers', (token: string) => [`Authorization: Bearer ${token}`, 'Authorization: Bearer junk']],
      ['the same Authorization twice', (token: string) => [`Authorization: Bearer ${token}`, `authorization: Bearer ${token}`]],
      ['two Idempotency-Keys', (token: string) => [`Authorization: Bearer ${token}`, 'Idempotency-Key: one', 'Idempotency-Key: two']],
      ['the same Idempotency-Key twice', (token: string) => [`Authorization: Bearer ${token}`, 'Idempotency-Key: one', 'idempotency-key: one']],
    ])('refuses %s with 400 VALIDATION_FAILED, doing nothing', async (_, headers) => {
      const { received } = await rawExchange(port, (s) => void s.write(request(headers(t.token(2)))), 5_000);
      expect(parseRawResponse(received)).toMatchObject({ status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringMatching(/once/) } });
      expect(await balance(2)).toBe(0);
      const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = 2');
      expect(n).toBe(0);
    });

    it('takes each of them once', async () => {
      const { received } = await rawExchange(port, (s) => void s.write(request([`Authorization: Bearer ${t.token(3)}`, 'Idempotency-Key: once'])), 5_000);
      expect(parseRawResponse(received)).toMatchObject({ status: 200, body: { userId: 3, balance: 1 } });
    });
  });
});
