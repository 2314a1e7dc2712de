import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { PgSimulator } from '../../tools/pg-simulator';
import { until } from '../support/http';

/** Response bodies: the tests check them field by field. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = 'test_sk_e2e_simulator';
const AUTH = basic(SECRET);
const GONE = 'fetch failed';

function basic(secretKey: string): string {
  return `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
}

/** One HTTP call as the shop's gateway adapter makes it: JSON, the secret key unless `headers` replace it. */
async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<{ status: number; body: Json }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: AUTH, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

function gateway(sim: () => PgSimulator) {
  const idempotent = (key?: string): Record<string, string> => (key === undefined ? {} : { 'idempotency-key': key });
  return {
    confirm: (paymentKey: string, orderId: string, amount: number, key?: string, signal?: AbortSignal) =>
      call(sim().url, 'POST', '/v1/payments/confirm', { paymentKey, orderId, amount }, idempotent(key), signal),
    cancel: (paymentKey: string, body: Record<string, unknown>, key?: string) => call(sim().url, 'POST', `/v1/payments/${paymentKey}/cancel`, body, idempotent(key)),
    byOrder: (orderId: string) => call(sim().url, 'GET', `/v1/payments/orders/${orderId}`),
    byKey: (paymentKey: string) => call(sim().url, 'GET', `/v1/payments/${paymentKey}`),
    sim: (method: string, path: string, body?: unknown) => call(sim().url, method, path, body, { authorization: '' }),
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Opens a new TCP connection: 'connected' or the error code. */
async function connectTo(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    await once(socket, 'connect');
    return 'connected';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  } finally {
    socket.destroy();
  }
}

const error = (code: string) => ({ code, message: expect.any(String) });

/** Korean time without an offset, whole seconds: Toss's own yyyy-MM-ddTHH:mm:ss form. */
const kstLocal = (at: number) => new Date(at + 9 * 3_600_000).toISOString().slice(0, 19);
const KST = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/;
const WEBHOOK_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivered {
  text: string;
  body: Json;
  headers: Record<string, unknown>;
  at: number;
}

/** A shop's webhook endpoint on loopback: records every request; `answer` picks each one's status, or 'hang' (never answers). */
class HookReceiver {
  readonly got: Delivered[] = [];
  answer: (delivered: Delivered, index: number) => number | 'hang' = () => 200;
  private readonly server = createHttpServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      let body: Json = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the test looks at `text`.
      }
      const delivered = { text, body, headers: req.headers, at: Date.now() };
      this.got.push(delivered);
      const status = this.answer(delivered, this.got.length);
      if (status !== 'hang') res.writeHead(status).end();
    });
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/webhooks/payment-gateway`;
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  clear(): void {
    this.got.length = 0;
    this.answer = () => 200;
  }

  /** The status webhooks' data.status values, in arrival order. */
  statuses(paymentKey?: string): string[] {
    return this.got.filter((d) => d.body?.eventType === 'PAYMENT_STATUS_CHANGED' && (paymentKey === undefined || d.body.data.paymentKey === paymentKey)).map((d) => d.body.data.status);
  }
}

describe('pg simulator (e2e)', () => {
  let sim: PgSimulator;
  const pg = gateway(() => sim);

  beforeAll(async () => {
    sim = new PgSimulator({ secretKey: SECRET });
    await sim.start();
  });
  beforeEach(async () => {
    sim.reset();
    sim.delayMs = 0;
    sim.webhookUrl = null;
    sim.webhookRetryDelaysMs = [50, 100];
    sim.webhookTimeoutMs = 10_000;
    await sim.up();
  });
  afterAll(() => sim.stop());

  describe('authentication', () => {
    it('answers 401 UNAUTHORIZED_KEY without the secret key, with another one, or without the colon', async () => {
      const paymentKey = sim.checkout('order-auth', 1_000);
      for (const authorization of ['', basic('test_sk_other'), `Basic ${Buffer.from(SECRET).toString('base64')}`, `Bearer ${SECRET}`]) {
        const refused = await call(sim.url, 'POST', '/v1/payments/confirm', { paymentKey, orderId: 'order-auth', amount: 1_000 }, { authorization });
        expect(refused).toEqual({ status: 401, body: error('UNAUTHORIZED_KEY') });
        expect(Object.keys(refused.body)).toEqual(['code', 'message']);
      }
      expect((await pg.byOrder('order-auth')).status).toBe(404);
      expect((await pg.confirm(paymentKey, 'order-auth', 1_000)).status).toBe(200);
    });
  });

  describe('confirm', () => {
    it('approves a checkout session: 200 and the Payment object with Toss field names', async () => {
      const paymentKey = sim.checkout('order-1', 15_000);
      const confirmed = await pg.confirm(paymentKey, 'order-1', 15_000);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({
        status: 'DONE',
        paymentKey,
        orderId: 'order-1',
        totalAmount: 15_000,
        balanceAmount: 15_000,
        suppliedAmount: 13_636,
        vat: 1_364,
        method: '카드',
        currency: 'KRW',
        type: 'NORMAL',
        version: '2022-11-16',
        cancels: null,
        failure: null,
        card: { approveNo: expect.stringMatching(/^\d{8}$/), amount: 15_000, cardType: '신용' },
      });
      const kst = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/;
      expect(confirmed.body.requestedAt).toMatch(kst);
      expect(confirmed.body.approvedAt).toMatch(kst);
      expect(Math.abs(Date.parse(confirmed.body.approvedAt) - Date.now())).toBeLessThan(5_000);
      expect(confirmed.body.lastTransactionKey).toMatch(/^[0-9A-F]{32}$/);
      expect(await pg.byKey(paymentKey)).toEqual(confirmed);
    });

    it('refuses a confirm that does not match its session, and the session stays confirmable', async () => {
      const paymentKey = sim.checkout('order-2', 10_000);
      expect(await pg.confirm('tsim_unknown', 'order-2', 10_000)).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT_SESSION') });
      const otherOrder = await pg.confirm(paymentKey, 'order-3', 10_000);
      expect(otherOrder).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect(otherOrder.body.message).toContain('orderId');
      for (const amount of [9_999, 10_001, 10_000.5]) {
        const wrong = await pg.confirm(paymentKey, 'order-2', amount);
        expect(wrong).toEqual({ status: 400, body: error('INVALID_REQUEST') });
        expect(wrong.body.message).toContain('amount');
      }
      const asText = await call(sim.url, 'POST', '/v1/payments/confirm', { paymentKey, orderId: 'order-2', amount: '10000' });
      expect(asText).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect(await call(sim.url, 'POST', '/v1/payments/confirm', '{"paymentKey":')).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect((await pg.byOrder('order-2')).status).toBe(404);

      expect((await pg.confirm(paymentKey, 'order-2', 10_000)).body.status).toBe('DONE');
      expect(await pg.confirm(paymentKey, 'order-2', 10_000)).toEqual({ status: 400, body: error('ALREADY_PROCESSED_PAYMENT') });
    });

    it('refuses a second charge for an order id already approved (DUPLICATED_ORDER_ID), not after a decline', async () => {
      const first = sim.checkout('order-dup', 500);
      await pg.confirm(first, 'order-dup', 500);
      expect(await pg.confirm(sim.checkout('order-dup', 500), 'order-dup', 500)).toEqual({ status: 400, body: error('DUPLICATED_ORDER_ID') });
      await pg.cancel(first, { cancelReason: 'refund' });
      expect((await pg.confirm(sim.checkout('order-dup', 500), 'order-dup', 500)).body.code).toBe('DUPLICATED_ORDER_ID');

      expect((await pg.confirm(sim.checkout('order-retry', 500, { kind: 'decline' }), 'order-retry', 500)).status).toBe(403);
      expect((await pg.confirm(sim.checkout('order-retry', 500), 'order-retry', 500)).body.status).toBe('DONE');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer, status and body, without confirming again', async () => {
      const paymentKey = sim.checkout('order-idem', 2_000);
      const first = await pg.confirm(paymentKey, 'order-idem', 2_000, 'key-1');
      const again = await pg.confirm(paymentKey, 'order-idem', 2_000, 'key-1');
      expect(again).toEqual(first);
      expect(sim.calls.map((c) => [c.status, c.replayed])).toEqual([[200, false], [200, true]]);
      expect(await pg.confirm(paymentKey, 'order-idem', 2_000, 'key-2')).toEqual({ status: 400, body: error('ALREADY_PROCESSED_PAYMENT') });
      expect(await pg.confirm(paymentKey, 'order-idem', 2_000, 'key-2')).toEqual({ status: 400, body: error('ALREADY_PROCESSED_PAYMENT') });
    });

    it('replays on the key alone, as Toss does: another body under the same key gets the first answer', async () => {
      const a = sim.checkout('order-a', 1_000);
      const b = sim.checkout('order-b', 3_000);
      const first = await pg.confirm(a, 'order-a', 1_000, 'shared');
      expect(await pg.confirm(b, 'order-b', 3_000, 'shared')).toEqual(first);
      expect(sim.payments().find((p) => p.paymentKey === b)!.status).toBe('IN_PROGRESS');
      expect((await pg.cancel(a, { cancelReason: 'same key, other route' }, 'shared')).body.status).toBe('CANCELED');
    });

    it('answers 409 IDEMPOTENT_REQUEST_PROCESSING while the first request with the key is running', async () => {
      const paymentKey = sim.checkout('order-409', 1_000, { kind: 'slow', delayMs: 800 });
      const first = pg.confirm(paymentKey, 'order-409', 1_000, 'busy');
      await until(() => sim.calls.length === 1, 2_000);
      expect(await pg.confirm(paymentKey, 'order-409', 1_000, 'busy')).toEqual({ status: 409, body: error('IDEMPOTENT_REQUEST_PROCESSING') });
      expect((await first).body.status).toBe('DONE');
      expect(await pg.confirm(paymentKey, 'order-409', 1_000, 'busy')).toEqual(await first);
    });

    it('keeps 4xx answers, and forgets a 5xx so that the retry does the work', async () => {
      const declined = sim.checkout('order-4xx', 1_000, { kind: 'decline' });
      const refusal = await pg.confirm(declined, 'order-4xx', 1_000, 'decline-key');
      expect(await pg.confirm(declined, 'order-4xx', 1_000, 'decline-key')).toEqual(refusal);

      const paymentKey = sim.checkout('order-5xx', 1_000, { kind: 'cancel-fails', times: 1 });
      await pg.confirm(paymentKey, 'order-5xx', 1_000);
      expect((await pg.cancel(paymentKey, { cancelReason: 'r' }, 'cancel-key')).status).toBe(500);
      expect((await pg.cancel(paymentKey, { cancelReason: 'r' }, 'cancel-key')).body.status).toBe('CANCELED');
    });

    it('answers 400 INVALID_IDEMPOTENCY_KEY for a key over 300 characters', async () => {
      const paymentKey = sim.checkout('order-long-key', 1_000);
      expect(await pg.confirm(paymentKey, 'order-long-key', 1_000, 'k'.repeat(301))).toEqual({ status: 400, body: error('INVALID_IDEMPOTENCY_KEY') });
      expect((await pg.confirm(paymentKey, 'order-long-key', 1_000, 'k'.repeat(300))).status).toBe(200);
    });
  });

  describe('lookups', () => {
    it('by order id: the latest confirmed session; a session only checked out does not count', async () => {
      const declined = sim.checkout('order-look', 4_000, { kind: 'decline', code: 'INVALID_STOPPED_CARD' });
      const approved = sim.checkout('order-look', 4_000);
      expect(await pg.byOrder('order-look')).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
      expect(await pg.byKey(approved)).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });

      expect(await pg.confirm(declined, 'order-look', 4_000)).toEqual({ status: 400, body: error('INVALID_STOPPED_CARD') });
      expect((await pg.byOrder('order-look')).body).toMatchObject({ paymentKey: declined, status: 'ABORTED', failure: { code: 'INVALID_STOPPED_CARD' }, approvedAt: null });

      await pg.confirm(approved, 'order-look', 4_000);
      expect((await pg.byOrder('order-look')).body).toMatchObject({ paymentKey: approved, status: 'DONE' });
      expect((await pg.byKey(declined)).body.status).toBe('ABORTED');
      expect(await pg.byOrder('order-none')).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
      expect(await pg.byKey('tsim_none')).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
    });

    it('an expired session: EXPIRED in lookups, NOT_FOUND_PAYMENT_SESSION on confirm', async () => {
      const paymentKey = sim.checkout('order-expired', 1_000);
      sim.expire(paymentKey);
      expect((await pg.byOrder('order-expired')).body).toMatchObject({ paymentKey, status: 'EXPIRED' });
      expect(await pg.confirm(paymentKey, 'order-expired', 1_000)).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT_SESSION') });
      expect(() => sim.expire(paymentKey)).toThrow('no unconfirmed session');
    });
  });

  describe('cancel', () => {
    it('cancels in parts down to CANCELED, each part in cancels', async () => {
      const paymentKey = sim.checkout('order-cancel', 10_000);
      await pg.confirm(paymentKey, 'order-cancel', 10_000);

      const part = await pg.cancel(paymentKey, { cancelReason: 'one item returned', cancelAmount: 3_000 });
      expect(part.status).toBe(200);
      expect(part.body).toMatchObject({ status: 'PARTIAL_CANCELED', totalAmount: 10_000, balanceAmount: 7_000 });
      expect(part.body.cancels).toEqual([
        expect.objectContaining({
          cancelAmount: 3_000,
          cancelReason: 'one item returned',
          cancelStatus: 'DONE',
          refundableAmount: 7_000,
          canceledAt: expect.stringMatching(/\+09:00$/),
          transactionKey: part.body.lastTransactionKey,
        }),
      ]);
      expect(await pg.cancel(paymentKey, { cancelReason: 'too much', cancelAmount: 7_001 })).toEqual({ status: 403, body: error('NOT_CANCELABLE_AMOUNT') });
      expect(await pg.cancel(paymentKey, { cancelAmount: 1_000 })).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect(await pg.cancel(paymentKey, { cancelReason: 'r', cancelAmount: -5 })).toEqual({ status: 400, body: error('INVALID_REQUEST') });

      const rest = await pg.cancel(paymentKey, { cancelReason: 'order cancelled' });
      expect(rest.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0, isPartialCancelable: false });
      expect(rest.body.cancels.map((c: Json) => c.cancelAmount)).toEqual([3_000, 7_000]);
      expect(await pg.cancel(paymentKey, { cancelReason: 'again' })).toEqual({ status: 400, body: error('ALREADY_CANCELED_PAYMENT') });
      expect(await pg.byOrder('order-cancel')).toEqual(rest);
    });

    it('a repeated Idempotency-Key cancels once', async () => {
      const paymentKey = sim.checkout('order-cancel-idem', 5_000);
      await pg.confirm(paymentKey, 'order-cancel-idem', 5_000);
      const first = await pg.cancel(paymentKey, { cancelReason: 'r', cancelAmount: 1_000 }, 'refund-1');
      expect(await pg.cancel(paymentKey, { cancelReason: 'r', cancelAmount: 1_000 }, 'refund-1')).toEqual(first);
      expect((await pg.byKey(paymentKey)).body).toMatchObject({ balanceAmount: 4_000, cancels: [expect.anything()] });
    });

    it('404 NOT_FOUND_PAYMENT for a payment never confirmed, 403 NOT_CANCELABLE_PAYMENT for a declined one', async () => {
      expect(await pg.cancel('tsim_none', { cancelReason: 'r' })).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
      expect(await pg.cancel(sim.checkout('order-unconfirmed', 1_000), { cancelReason: 'r' })).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
      const declined = sim.checkout('order-declined', 1_000, { kind: 'decline' });
      await pg.confirm(declined, 'order-declined', 1_000);
      expect(await pg.cancel(declined, { cancelReason: 'r' })).toEqual({ status: 403, body: error('NOT_CANCELABLE_PAYMENT') });
    });
  });

  describe('behaviours', () => {
    it('decline: 403 REJECT_CARD_PAYMENT by default, or the code and status asked for', async () => {
      expect(await pg.confirm(sim.checkout('order-d1', 1_000, { kind: 'decline' }), 'order-d1', 1_000)).toEqual({ status: 403, body: error('REJECT_CARD_PAYMENT') });
      const custom = await pg.confirm(sim.checkout('order-d2', 1_000, { kind: 'decline', code: 'EXCEED_MAX_AMOUNT', status: 400, message: 'limit' }), 'order-d2', 1_000);
      expect(custom).toEqual({ status: 400, body: { code: 'EXCEED_MAX_AMOUNT', message: 'limit' } });
    });

    it('the default behaviour applies to sessions without their own, already checked out ones included', async () => {
      const plain = sim.checkout('order-default-1', 1_000);
      const own = sim.checkout('order-default-2', 1_000, { kind: 'approve' });
      expect((await pg.sim('POST', '/sim/behaviour', { kind: 'decline', code: 'REJECT_CARD_COMPANY' })).status).toBe(204);
      expect((await pg.confirm(plain, 'order-default-1', 1_000)).body.code).toBe('REJECT_CARD_COMPANY');
      expect((await pg.confirm(own, 'order-default-2', 1_000)).body.status).toBe('DONE');
      sim.setBehaviour({ kind: 'approve' });
      expect((await pg.confirm(sim.checkout('order-default-3', 1_000), 'order-default-3', 1_000)).body.status).toBe('DONE');
    });

    it('slow: approves after delayMs, and is not approved before', async () => {
      const paymentKey = sim.checkout('order-slow', 1_000, { kind: 'slow', delayMs: 400 });
      const confirming = timed(() => pg.confirm(paymentKey, 'order-slow', 1_000));
      await until(() => sim.calls.length === 1, 2_000);
      expect((await pg.byOrder('order-slow')).status).toBe(404);
      const { result, ms } = await confirming;
      expect(result.body.status).toBe('DONE');
      expect(ms).toBeGreaterThanOrEqual(390);

      const racing = sim.checkout('order-slow-race', 1_000, { kind: 'slow', delayMs: 200 });
      const answers = await Promise.all([1, 2].map(() => pg.confirm(racing, 'order-slow-race', 1_000)));
      expect(answers.map((a) => a.body.status ?? a.body.code).sort()).toEqual(['ALREADY_PROCESSED_PAYMENT', 'DONE']);
    });

    it('hang: only the client timeout ends the confirm; stop() closes the hung connections', async () => {
      const own = new PgSimulator({ secretKey: SECRET });
      await own.start();
      const hung = gateway(() => own);
      const paymentKey = own.checkout('order-hang', 1_000, { kind: 'hang' });
      expect(await hung.confirm(paymentKey, 'order-hang', 1_000, undefined, AbortSignal.timeout(300)).catch((e) => e.name)).toBe('TimeoutError');
      const waiting = hung.confirm(paymentKey, 'order-hang', 1_000);
      const settled = jest.fn();
      waiting.then(settled, settled);
      await until(() => own.calls.length === 2, 2_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).not.toHaveBeenCalled();
      expect((await hung.byOrder('order-hang')).status).toBe(404);

      const { ms } = await timed(() => own.stop());
      expect(ms).toBeLessThan(1_000);
      await expect(waiting).rejects.toThrow(GONE);
      expect(own.calls.map((c) => c.status)).toEqual([null, null, 404]);
    });

    it('down: every /v1 call answers 503 FAILED_INTERNAL_SYSTEM_PROCESSING until up(); /sim still answers', async () => {
      const paymentKey = sim.checkout('order-down', 1_000);
      await sim.down();
      const unavailable = { status: 503, body: error('FAILED_INTERNAL_SYSTEM_PROCESSING') };
      expect(await pg.confirm(paymentKey, 'order-down', 1_000)).toEqual(unavailable);
      expect(await pg.byOrder('order-down')).toEqual(unavailable);
      expect(await call(sim.url, 'GET', '/v1/payments/orders/order-down', undefined, { authorization: '' })).toEqual(unavailable);
      expect((await pg.sim('GET', '/sim/payments')).body).toEqual([expect.objectContaining({ paymentKey, status: 'IN_PROGRESS' })]);
      await sim.up();
      expect((await pg.confirm(paymentKey, 'order-down', 1_000)).body.status).toBe('DONE');
    });

    it("down('refuse'): connections are refused until up(), then the same URL answers", async () => {
      const paymentKey = sim.checkout('order-refuse', 1_000);
      const url = sim.url;
      await sim.down('refuse');
      // A pooled keep-alive connection fails with "other side closed"; a new one is refused.
      await expect(pg.confirm(paymentKey, 'order-refuse', 1_000)).rejects.toThrow(GONE);
      expect(await connectTo(url)).toBe('ECONNREFUSED');
      await sim.up();
      expect(sim.url).toBe(url);
      expect(await connectTo(url)).toBe('connected');
      expect((await pg.confirm(paymentKey, 'order-refuse', 1_000)).body.status).toBe('DONE');
    });

    it('lost-answer: approved, the client gets a 500; a retry under the same key gets the approval', async () => {
      const paymentKey = sim.checkout('order-lost', 1_000, { kind: 'lost-answer' });
      expect(await pg.confirm(paymentKey, 'order-lost', 1_000, 'pay-1')).toEqual({ status: 500, body: error('FAILED_INTERNAL_SYSTEM_PROCESSING') });
      const lookedUp = await pg.byOrder('order-lost');
      expect(lookedUp.body).toMatchObject({ paymentKey, status: 'DONE' });
      expect(await pg.confirm(paymentKey, 'order-lost', 1_000, 'pay-1')).toEqual(lookedUp);
      expect(await pg.confirm(paymentKey, 'order-lost', 1_000)).toEqual({ status: 400, body: error('ALREADY_PROCESSED_PAYMENT') });
    });

    it("lost-answer 'destroy': approved, the connection drops without an answer", async () => {
      const paymentKey = sim.checkout('order-dropped', 1_000, { kind: 'lost-answer', answer: 'destroy' });
      await expect(pg.confirm(paymentKey, 'order-dropped', 1_000)).rejects.toThrow(GONE);
      expect((await pg.byKey(paymentKey)).body.status).toBe('DONE');
      expect(sim.calls[0].status).toBeNull();
    });

    it('late-approval: 500 and NOT_FOUND_PAYMENT at first, DONE by itself after lateMs (and then the latest of its order)', async () => {
      const late = sim.checkout('order-late', 1_000, { kind: 'late-approval', lateMs: 600 });
      expect(await pg.confirm(late, 'order-late', 1_000)).toEqual({ status: 500, body: error('FAILED_INTERNAL_SYSTEM_PROCESSING') });
      expect(await pg.byOrder('order-late')).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
      const retried = sim.checkout('order-late', 1_000);
      expect((await pg.confirm(retried, 'order-late', 1_000)).body.status).toBe('DONE');
      expect((await pg.byOrder('order-late')).body.paymentKey).toBe(retried);

      await until(async () => (await pg.byKey(late)).status === 200, 3_000);
      expect((await pg.byOrder('order-late')).body).toMatchObject({ paymentKey: late, status: 'DONE' });
      expect((await pg.cancel(late, { cancelReason: 'late approval of a failed attempt' })).body.status).toBe('CANCELED');
      expect((await pg.byKey(retried)).body.status).toBe('DONE');
    });

    it("late-approval 'timeout': no answer; DONE after lateMs; the key then replays the approval", async () => {
      const paymentKey = sim.checkout('order-late-timeout', 1_000, { kind: 'late-approval', lateMs: 700, answer: 'timeout' });
      expect(await pg.confirm(paymentKey, 'order-late-timeout', 1_000, 'pay-late', AbortSignal.timeout(200)).catch((e) => e.name)).toBe('TimeoutError');
      expect((await pg.byOrder('order-late-timeout')).status).toBe(404);
      expect((await pg.confirm(paymentKey, 'order-late-timeout', 1_000, 'pay-late')).status).toBe(409);
      await until(async () => (await pg.byOrder('order-late-timeout')).status === 200, 3_000);
      expect(await pg.confirm(paymentKey, 'order-late-timeout', 1_000, 'pay-late')).toEqual(await pg.byKey(paymentKey));
    });

    it('cancel-fails: the first `times` cancels answer 500, then one succeeds; -1 fails them all', async () => {
      const twice = sim.checkout('order-cf', 1_000, { kind: 'cancel-fails', times: 2 });
      await pg.confirm(twice, 'order-cf', 1_000);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await pg.cancel(twice, { cancelReason: 'r' })).status);
      expect(statuses).toEqual([500, 500, 200]);

      const never = sim.checkout('order-cf-never', 1_000);
      await pg.sim('POST', '/sim/behaviour', { kind: 'cancel-fails', times: -1 });
      await pg.confirm(never, 'order-cf-never', 1_000);
      for (let i = 0; i < 5; i++) expect(await pg.cancel(never, { cancelReason: 'r' })).toEqual({ status: 500, body: error('FAILED_INTERNAL_SYSTEM_PROCESSING') });
      expect((await pg.byKey(never)).body).toMatchObject({ status: 'DONE', balanceAmount: 1_000 });
    });

    it('delayMs: added before every confirm and cancel answer, not before lookups', async () => {
      const paymentKey = sim.checkout('order-delay', 1_000);
      expect((await pg.sim('POST', '/sim/delay', { delayMs: 300 })).status).toBe(204);
      const confirmed = await timed(() => pg.confirm(paymentKey, 'order-delay', 1_000));
      const cancelled = await timed(() => pg.cancel(paymentKey, { cancelReason: 'r' }));
      const lookedUp = await timed(() => pg.byOrder('order-delay'));
      expect([confirmed.result.status, cancelled.result.status, lookedUp.result.status]).toEqual([200, 200, 200]);
      expect(Math.min(confirmed.ms, cancelled.ms)).toBeGreaterThanOrEqual(290);
      expect(lookedUp.ms).toBeLessThan(290);
    });
  });

  describe('/sim control routes', () => {
    it('checkout validates what it is given', async () => {
      const bad = { status: 400, body: error('INVALID_REQUEST') };
      expect(await pg.sim('POST', '/sim/checkout', { amount: 1_000 })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/checkout', { orderId: 'o', amount: 0 })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/checkout', { orderId: 'o', amount: 1_000, behaviour: { kind: 'explode' } })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/checkout', { orderId: 'o', amount: 1_000, behaviour: { kind: 'slow' } })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'late-approval' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/nothing')).toEqual({ status: 404, body: error('NOT_FOUND') });
      expect(sim.payments()).toEqual([]);
    });

    it('calls lists every /v1 call with its headers, body and answer; payments lists the states; reset forgets them', async () => {
      const created = await pg.sim('POST', '/sim/checkout', { orderId: 'order-sim', amount: 2_500, behaviour: { kind: 'decline' } });
      expect(created.status).toBe(201);
      const { paymentKey } = created.body;
      await pg.confirm(paymentKey, 'order-sim', 2_500, 'sim-key');
      await pg.byOrder('order-sim');
      await call(sim.url, 'POST', '/v1/payments/confirm', 'not json');

      const calls = (await pg.sim('GET', '/sim/calls')).body;
      expect(calls).toEqual([
        {
          method: 'POST',
          path: '/v1/payments/confirm',
          headers: expect.objectContaining({ authorization: AUTH, 'idempotency-key': 'sim-key' }),
          body: { paymentKey, orderId: 'order-sim', amount: 2_500 },
          status: 403,
          replayed: false,
          at: expect.any(String),
        },
        expect.objectContaining({ method: 'GET', path: '/v1/payments/orders/order-sim', body: null, status: 200 }),
        expect.objectContaining({ body: 'not json', status: 400 }),
      ]);
      expect(Date.parse(calls[0].at)).toBeLessThanOrEqual(Date.parse(calls[1].at));
      expect((await pg.sim('GET', '/sim/payments')).body).toEqual([expect.objectContaining({ paymentKey, orderId: 'order-sim', status: 'ABORTED', totalAmount: 2_500 })]);

      await pg.sim('POST', '/sim/behaviour', { kind: 'hang' });
      expect((await pg.sim('POST', '/sim/reset')).status).toBe(204);
      expect((await pg.sim('GET', '/sim/calls')).body).toEqual([]);
      expect((await pg.sim('GET', '/sim/payments')).body).toEqual([]);
      expect(sim.behaviour).toEqual({ kind: 'approve' });
      expect(await pg.confirm(paymentKey, 'order-sim', 2_500, 'sim-key')).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT_SESSION') });
    });

    it('expire, down and up over HTTP; a refusing outage needs forMs and ends by itself', async () => {
      const { paymentKey } = (await pg.sim('POST', '/sim/checkout', { orderId: 'order-http', amount: 1_000 })).body;
      expect((await pg.sim('POST', '/sim/expire', { paymentKey })).status).toBe(204);
      expect((await pg.sim('POST', '/sim/expire', { paymentKey })).status).toBe(400);
      expect((await pg.byKey(paymentKey)).body.status).toBe('EXPIRED');

      expect((await pg.sim('POST', '/sim/down')).status).toBe(204);
      await until(async () => (await pg.byKey(paymentKey)).status === 503, 1_000);
      expect((await pg.sim('POST', '/sim/up')).status).toBe(204);
      expect((await pg.byKey(paymentKey)).status).toBe(200);

      expect((await pg.sim('POST', '/sim/down', { mode: 'refuse' })).status).toBe(400);
      expect((await pg.sim('POST', '/sim/down', { mode: 'refuse', forMs: 500 })).status).toBe(204);
      await until(async () => (await pg.byKey(paymentKey).catch(() => null)) === null, 1_000);
      await until(async () => (await pg.byKey(paymentKey).catch(() => null))?.status === 200, 3_000);
    });
  });

  describe('webhooks', () => {
    const receiver = new HookReceiver();
    beforeAll(() => receiver.start());
    beforeEach(() => {
      receiver.clear();
      sim.webhookUrl = receiver.url;
    });
    afterAll(() => receiver.stop());

    it('PAYMENT_STATUS_CHANGED with the Payment on every status change: DONE, ABORTED, EXPIRED, PARTIAL_CANCELED, CANCELED', async () => {
      const paymentKey = sim.checkout('order-wh', 10_000);
      await pg.confirm(paymentKey, 'order-wh', 10_000);
      await pg.cancel(paymentKey, { cancelReason: 'one item', cancelAmount: 4_000 });
      const cancelled = await pg.cancel(paymentKey, { cancelReason: 'the rest' });
      const declined = sim.checkout('order-wh-declined', 1_000, { kind: 'decline' });
      await pg.confirm(declined, 'order-wh-declined', 1_000);
      const expired = sim.checkout('order-wh-expired', 1_000);
      sim.expire(expired);
      await sim.webhooksIdle();

      expect(receiver.statuses(paymentKey)).toEqual(['DONE', 'PARTIAL_CANCELED', 'CANCELED']);
      expect(receiver.statuses(declined)).toEqual(['ABORTED']);
      expect(receiver.statuses(expired)).toEqual(['EXPIRED']);
      const last = receiver.got.find((d) => d.body.data.paymentKey === paymentKey && d.body.data.status === 'CANCELED')!;
      expect(Object.keys(last.body)).toEqual(['eventType', 'createdAt', 'data']);
      expect(last.body.createdAt).toMatch(WEBHOOK_TIME);
      expect(last.body.data).toEqual(cancelled.body);
      expect(last.headers['content-type']).toBe('application/json');
      expect(sim.webhooks.every((w) => w.state === 'delivered' && w.attempts.length === 1 && w.attempts[0].status === 200)).toBe(true);
      expect(sim.calls.some((c) => c.path.includes('webhook'))).toBe(false);
    });

    it('none without a URL: POST /sim/webhook { url: null } and DELETE /sim/webhook turn them off; GET /sim/webhook shows the settings', async () => {
      expect((await pg.sim('POST', '/sim/webhook', { url: null })).body).toMatchObject({ url: null });
      await pg.confirm(sim.checkout('order-wh-off', 1_000), 'order-wh-off', 1_000);
      expect((await pg.sim('POST', '/sim/webhook', { url: receiver.url, retryDelaysMs: [10, 20], timeoutMs: 500 })).body).toEqual({
        url: receiver.url,
        retryDelaysMs: [10, 20],
        timeoutMs: 500,
        holding: false,
      });
      await pg.confirm(sim.checkout('order-wh-on', 1_000), 'order-wh-on', 1_000);
      expect((await pg.sim('DELETE', '/sim/webhook')).status).toBe(204);
      await pg.confirm(sim.checkout('order-wh-off-again', 1_000), 'order-wh-off-again', 1_000);
      await sim.webhooksIdle();
      expect(receiver.got.map((d) => d.body.data.orderId)).toEqual(['order-wh-on']);
      expect((await pg.sim('GET', '/sim/webhook')).body).toMatchObject({ url: null, retryDelaysMs: [10, 20], timeoutMs: 500 });

      const bad = { status: 400, body: error('INVALID_REQUEST') };
      expect(await pg.sim('POST', '/sim/webhook', { url: 'ftp://example.com/hook' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhook', { url: 'not a url' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhook', { retryDelaysMs: [10, -1] })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhook', { timeoutMs: 0 })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhook', { url: receiver.url, timeoutMs: 'soon' })).toEqual(bad);
      expect(sim.webhookUrl).toBeNull(); // a refused change changes nothing
      expect(await pg.sim('POST', '/sim/webhooks/send', { body: {} })).toEqual(bad);
      expect(() => new PgSimulator({ webhookUrl: 'nope' })).toThrow('not a URL');
    });

    it("retries as Toss does: on a non-2xx and on no answer within the timeout, after each configured delay, until one gets a 2xx", async () => {
      sim.webhookRetryDelaysMs = [100, 200, 300];
      sim.webhookTimeoutMs = 250;
      receiver.answer = (_, index) => (index === 1 ? 500 : index === 2 ? 'hang' : index === 3 ? 404 : 200);
      const paymentKey = sim.checkout('order-wh-retry', 1_000);
      await pg.confirm(paymentKey, 'order-wh-retry', 1_000);
      await sim.webhooksIdle();

      const [hook] = (await pg.sim('GET', '/sim/webhooks')).body;
      expect(hook).toMatchObject({ id: expect.stringMatching(/^wh_\d+$/), eventType: 'PAYMENT_STATUS_CHANGED', paymentKey, state: 'delivered' });
      expect(hook.attempts.map((a: Json) => [a.attempt, a.status, a.error])).toEqual([
        [1, 500, null],
        [2, null, 'no answer within 250 ms'],
        [3, 404, null],
        [4, 200, null],
      ]);
      const starts = hook.attempts.map((a: Json) => Date.parse(a.at));
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(95);
      expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(250 + 195); // the timeout, then the second delay
      expect(starts[3] - starts[2]).toBeGreaterThanOrEqual(295);
      expect(receiver.got.map((d) => d.text)).toEqual(Array(4).fill(receiver.got[0].text)); // the same body each time

      const attempts = (await pg.sim('GET', '/sim/webhooks/attempts')).body;
      expect(attempts).toHaveLength(4);
      expect(attempts[3]).toEqual({ id: hook.id, eventType: 'PAYMENT_STATUS_CHANGED', paymentKey, body: receiver.got[0].body, attempt: 4, url: receiver.url, at: expect.any(String), status: 200, error: null, ms: expect.any(Number) });
      expect(sim.webhookAttempts()).toEqual(attempts);
    });

    it('gives up after the last delay (1 + retries attempts); a refused connection is a failure too', async () => {
      sim.webhookRetryDelaysMs = [20, 20];
      receiver.answer = () => 503;
      await pg.confirm(sim.checkout('order-wh-fail', 1_000), 'order-wh-fail', 1_000);
      await sim.webhooksIdle();
      expect(sim.webhooks.map((w) => [w.state, w.attempts.map((a) => a.status)])).toEqual([['failed', [503, 503, 503]]]);

      const closed = await freePort();
      sim.webhookUrl = `http://127.0.0.1:${closed}/hook`;
      sim.webhookRetryDelaysMs = [];
      await pg.confirm(sim.checkout('order-wh-refused', 1_000), 'order-wh-refused', 1_000);
      await sim.webhooksIdle();
      expect(sim.webhooks[1]).toMatchObject({ state: 'failed', attempts: [{ attempt: 1, status: null, error: 'ECONNREFUSED' }] });
    });

    it('held webhooks wait for release, in the order asked for, to arrive together with the confirm; discard drops them', async () => {
      expect((await pg.sim('POST', '/sim/webhooks/hold')).status).toBe(204);
      const a = sim.checkout('order-wh-a', 1_000);
      const b = sim.checkout('order-wh-b', 2_000);
      const c = sim.checkout('order-wh-c', 3_000);
      for (const [key, orderId, amount] of [[a, 'order-wh-a', 1_000], [b, 'order-wh-b', 2_000], [c, 'order-wh-c', 3_000]] as const) {
        expect((await pg.confirm(key, orderId, amount)).status).toBe(200);
      }
      await sleep(100);
      expect(receiver.got).toEqual([]);
      const held = sim.webhooks;
      expect(held.map((w) => [w.paymentKey, w.state, w.attempts])).toEqual([[a, 'held', []], [b, 'held', []], [c, 'held', []]]);

      const released = await pg.sim('POST', '/sim/webhooks/release', { ids: [held[2].id, held[0].id] });
      expect(released.status).toBe(200);
      expect(released.body.map((w: Json) => [w.paymentKey, w.state])).toEqual([[c, 'delivered'], [a, 'delivered']]);
      expect(receiver.got.map((d) => d.body.data.paymentKey)).toEqual([c, a]);
      expect(await pg.sim('POST', '/sim/webhooks/release', { ids: [held[0].id] })).toEqual({ status: 400, body: error('INVALID_REQUEST') });

      expect((await pg.sim('POST', '/sim/webhooks/discard', { ids: [held[1].id] })).status).toBe(204);
      expect(sim.webhooks[1].state).toBe('discarded');

      // The shop's confirm and the webhook of the same approval, at the same moment.
      const together = sim.checkout('order-wh-together', 5_000);
      const confirming = pg.confirm(together, 'order-wh-together', 5_000);
      await until(() => sim.webhooks.some((w) => w.paymentKey === together), 2_000);
      const [, answered] = await Promise.all([sim.releaseWebhooks(), confirming]);
      expect(answered.body.status).toBe('DONE');
      expect(receiver.statuses(together)).toEqual(['DONE']);

      await sim.holdWebhooks();
      sim.expire(sim.checkout('order-wh-late', 1_000));
      expect((await pg.sim('POST', '/sim/webhooks/hold', { hold: false })).status).toBe(204);
      expect(sim.holdingWebhooks).toBe(false);
      expect(receiver.statuses().at(-1)).toBe('EXPIRED');
    });

    it('a status webhook again on demand, an earlier one resent as it was, and any body (a forged or malformed one)', async () => {
      const paymentKey = sim.checkout('order-wh-dup', 6_000);
      await pg.confirm(paymentKey, 'order-wh-dup', 6_000);
      await sim.webhooksIdle();
      const first = sim.webhooks[0];
      await pg.cancel(paymentKey, { cancelReason: 'r', cancelAmount: 1_000 });

      const again = await pg.sim('POST', '/sim/webhooks/status', { paymentKey });
      expect(again).toEqual({ status: 201, body: { id: expect.stringMatching(/^wh_/) } });
      const resent = await pg.sim('POST', '/sim/webhooks/resend', { id: first.id });
      const forged = await pg.sim('POST', '/sim/webhooks/send', { body: { eventType: 'PAYMENT_STATUS_CHANGED', createdAt: 'x', data: { paymentKey, status: 'DONE' } } });
      const malformed = await pg.sim('POST', '/sim/webhooks/send', { raw: '{"eventType": "PAYMENT_STATUS_CHANGED", ' });
      const text = await pg.sim('POST', '/sim/webhooks/send', { body: 'a JSON string' });
      await sim.webhooksIdle();

      expect(receiver.got.map((d) => d.body?.data?.status ?? null)).toEqual(['DONE', 'PARTIAL_CANCELED', 'PARTIAL_CANCELED', 'DONE', 'DONE', null, null]);
      expect(receiver.got[3].text).toBe(receiver.got[0].text);
      expect(receiver.got[5].text).toBe('{"eventType": "PAYMENT_STATUS_CHANGED", ');
      expect(receiver.got[6].text).toBe('"a JSON string"');
      expect(sim.webhooks.slice(2).map((w) => [w.id, w.eventType, w.paymentKey])).toEqual([
        [again.body.id, 'PAYMENT_STATUS_CHANGED', paymentKey],
        [resent.body.id, 'PAYMENT_STATUS_CHANGED', paymentKey],
        [forged.body.id, null, paymentKey],
        [malformed.body.id, null, null],
        [text.body.id, null, null],
      ]);
      const bad = { status: 400, body: error('INVALID_REQUEST') };
      expect(await pg.sim('POST', '/sim/webhooks/status', { paymentKey: 'tsim_none' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhooks/status', { paymentKey, eventType: 'DEPOSIT_CALLBACK' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhooks/resend', { id: 'wh_0' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhooks/send', { body: {}, raw: 'x' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/webhooks/send', { raw: 5 })).toEqual(bad);
    });

    it('reset() forgets webhooks and calls off their retries; the URL and the retry settings stay', async () => {
      sim.webhookRetryDelaysMs = [300];
      receiver.answer = () => 500;
      await pg.confirm(sim.checkout('order-wh-reset', 1_000), 'order-wh-reset', 1_000);
      await until(() => receiver.got.length === 1, 2_000);
      await pg.sim('POST', '/sim/webhooks/hold');
      sim.reset();
      expect(sim.webhooks).toEqual([]);
      expect(sim.holdingWebhooks).toBe(false);
      await sleep(450);
      expect(receiver.got).toHaveLength(1);
      expect([sim.webhookUrl, sim.webhookRetryDelaysMs]).toEqual([receiver.url, [300]]);
    });
  });

  describe('GET /v1/transactions', () => {
    const list = (query: string, headers?: Record<string, string>) => call(sim.url, 'GET', `/v1/transactions?${query}`, undefined, headers);
    const around = () => `startDate=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&endDate=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;

    it('every approval, cancel and deposit, with its own transactionKey and amount; declined and expired ones none', async () => {
      const card = sim.checkout('order-tx-card', 10_000);
      const approved = (await pg.confirm(card, 'order-tx-card', 10_000)).body;
      const part = (await pg.cancel(card, { cancelReason: 'one item', cancelAmount: 3_000 })).body;
      const rest = (await pg.cancel(card, { cancelReason: 'the rest' })).body;
      await pg.confirm(sim.checkout('order-tx-declined', 1_000, { kind: 'decline' }), 'order-tx-declined', 1_000);
      sim.expire(sim.checkout('order-tx-expired', 1_000));
      const account = sim.checkout('order-tx-va', 7_000, undefined, { method: 'VIRTUAL_ACCOUNT' });
      await pg.confirm(account, 'order-tx-va', 7_000);
      expect((await list(around())).body).toHaveLength(3); // issuing the account is no transaction
      const deposited = sim.deposit(account);

      const listed = await list(around());
      expect(listed.status).toBe(200);
      const mine = (paymentKey: string) => listed.body.filter((t: Json) => t.paymentKey === paymentKey);
      const base = { mId: 'tosspayments', paymentKey: card, orderId: 'order-tx-card', method: '카드', currency: 'KRW' };
      expect(mine(card)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ ...base, transactionKey: approved.lastTransactionKey, status: 'DONE', amount: 10_000, transactionAt: approved.approvedAt }),
          expect.objectContaining({ ...base, transactionKey: part.cancels[0].transactionKey, status: 'PARTIAL_CANCELED', amount: 3_000, transactionAt: part.cancels[0].canceledAt }),
          expect.objectContaining({ ...base, transactionKey: rest.cancels[1].transactionKey, status: 'CANCELED', amount: 7_000, transactionAt: rest.cancels[1].canceledAt }),
        ]),
      );
      expect(mine(account)).toEqual([
        expect.objectContaining({ paymentKey: account, method: '가상계좌', status: 'DONE', amount: 7_000, transactionKey: deposited.transactionKey, transactionAt: deposited.payment.approvedAt }),
      ]);
      expect(listed.body).toHaveLength(4);
      for (const t of listed.body) {
        expect(Object.keys(t).sort()).toEqual(['amount', 'currency', 'customerKey', 'method', 'mId', 'orderId', 'paymentKey', 'receiptUrl', 'status', 'transactionAt', 'transactionKey', 'useEscrow'].sort());
        expect(t.transactionAt).toMatch(KST);
      }
      expect((await pg.sim('GET', '/sim/transactions')).body).toEqual(listed.body);
      expect(sim.transactions()).toEqual(listed.body);
    });

    it('the window is [startDate, endDate) by transactionAt, in ISO with an offset or Z, or in Toss\'s yyyy-MM-ddTHH:mm:ss (Korean time)', async () => {
      const paymentKey = sim.checkout('order-tx-window', 1_000);
      const { approvedAt } = (await pg.confirm(paymentKey, 'order-tx-window', 1_000)).body;
      const at = Date.parse(approvedAt);
      const keys = async (start: string, end: string) => {
        const res = await list(`startDate=${encodeURIComponent(start)}&endDate=${encodeURIComponent(end)}`);
        expect(res.status).toBe(200);
        return res.body.map((t: Json) => t.paymentKey);
      };
      expect(await keys(approvedAt, new Date(at + 1_000).toISOString())).toEqual([paymentKey]); // the start is in
      expect(await keys(new Date(at - 1_000).toISOString(), approvedAt)).toEqual([]); // the end is out
      expect(await keys(kstLocal(at), kstLocal(at + 1_000))).toEqual([paymentKey]);
      expect(await keys(kstLocal(at + 1_000), kstLocal(at + 2_000))).toEqual([]);
      expect(await keys(new Date(at).toISOString(), new Date(at + 1).toISOString())).toEqual([paymentKey]);
      expect(await keys(new Date(at - 9 * 3_600_000).toISOString().replace('Z', '-00:00'), `${kstLocal(at)}.001`)).toEqual([paymentKey]);
      // A + left unencoded in the query string arrives as a space: still read as the offset.
      const raw = await list(`startDate=${approvedAt}&endDate=${kstLocal(at + 1_000)}`);
      expect(raw.body.map((t: Json) => t.paymentKey)).toEqual([paymentKey]);
    });

    it('pages: ordered by transactionAt then transactionKey, limit (default 100, at most 10000), startingAfter the last key of the page before', async () => {
      for (let i = 0; i < 5; i++) {
        const paymentKey = sim.checkout(`order-tx-page-${i}`, 1_000 + i);
        await pg.confirm(paymentKey, `order-tx-page-${i}`, 1_000 + i);
        await pg.cancel(paymentKey, { cancelReason: 'r', cancelAmount: 100 });
      }
      const all = (await list(around())).body;
      expect(all).toHaveLength(10);
      const order = [...all].sort((x: Json, y: Json) => Date.parse(x.transactionAt) - Date.parse(y.transactionAt) || (x.transactionKey < y.transactionKey ? -1 : 1));
      expect(all).toEqual(order);
      const pages: Json[][] = [];
      let after = '';
      for (;;) {
        const page = (await list(`${around()}&limit=3${after === '' ? '' : `&startingAfter=${after}`}`)).body;
        if (page.length === 0) break;
        pages.push(page);
        after = page.at(-1).transactionKey;
      }
      expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
      expect(pages.flat()).toEqual(all);
      expect((await list(`${around()}&limit=10000`)).body).toHaveLength(10);
    });

    it('400 INVALID_REQUEST for a missing or unreadable date or limit, INVALID_TRANSACTION_KEY for an unknown startingAfter; 401 without the key', async () => {
      const bad = { status: 400, body: error('INVALID_REQUEST') };
      const end = `endDate=${kstLocal(Date.now())}`;
      expect(await list(end)).toEqual(bad);
      expect(await list(`startDate=yesterday&${end}`)).toEqual(bad);
      expect(await list(`startDate=2024-13-45T00:00:00&${end}`)).toEqual(bad);
      expect(await list(`startDate=${kstLocal(Date.now() + 60_000)}&${end}`)).toEqual(bad);
      for (const limit of ['0', '10001', '-1', '2.5', 'ten']) expect(await list(`${around()}&limit=${limit}`)).toEqual(bad);
      expect(await list(`${around()}&startingAfter=NOPE`)).toEqual({ status: 400, body: error('INVALID_TRANSACTION_KEY') });
      expect(await list(around(), { authorization: '' })).toEqual({ status: 401, body: error('UNAUTHORIZED_KEY') });
      expect(sim.calls.at(-1)!.path).toMatch(/^\/v1\/transactions\?startDate=/);
    });
  });

  describe('merchant-console cancels', () => {
    it('cancel part or all as the staff would: a cancel with its transactionKey, a transaction, the webhook; not a call', async () => {
      const paymentKey = sim.checkout('order-console', 9_000);
      await pg.confirm(paymentKey, 'order-console', 9_000);
      const calls = sim.calls.length;
      const part = await pg.sim('POST', '/sim/console-cancel', { paymentKey, cancelReason: '고객 요청 (콜센터)', cancelAmount: 2_000 });
      expect(part.status).toBe(200);
      expect(part.body).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 7_000, cancels: [{ cancelAmount: 2_000, cancelReason: '고객 요청 (콜센터)', transactionKey: part.body.lastTransactionKey }] });
      const all = sim.consoleCancel(paymentKey, { cancelReason: '전액 취소' });
      expect(all).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
      expect(all.cancels!.map((c) => c.cancelAmount)).toEqual([2_000, 7_000]);
      expect(sim.calls.length).toBe(calls);
      expect((await pg.byKey(paymentKey)).body).toEqual(all);
      expect(sim.transactions().filter((t) => t.paymentKey === paymentKey).map((t) => [t.status, t.amount])).toEqual(
        expect.arrayContaining([['DONE', 9_000], ['PARTIAL_CANCELED', 2_000], ['CANCELED', 7_000]]),
      );

      expect(await pg.sim('POST', '/sim/console-cancel', { paymentKey, cancelReason: 'again' })).toEqual({ status: 400, body: error('ALREADY_CANCELED_PAYMENT') });
      const other = sim.checkout('order-console-2', 1_000);
      expect(await pg.sim('POST', '/sim/console-cancel', { paymentKey: other, cancelReason: 'r' })).toEqual({ status: 404, body: error('NOT_FOUND_PAYMENT') });
      await pg.confirm(other, 'order-console-2', 1_000);
      expect(await pg.sim('POST', '/sim/console-cancel', { paymentKey: other, cancelReason: 'r', cancelAmount: 1_001 })).toEqual({ status: 403, body: error('NOT_CANCELABLE_AMOUNT') });
      expect(await pg.sim('POST', '/sim/console-cancel', { paymentKey: other })).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect(() => sim.consoleCancel(other, { cancelReason: 'r', cancelAmount: 5_000 })).toThrow(expect.objectContaining({ code: 'NOT_CANCELABLE_AMOUNT', status: 403 }));
    });

    it('sends the status webhook, as for any cancel', async () => {
      const receiver = new HookReceiver();
      await receiver.start();
      try {
        sim.webhookUrl = receiver.url;
        const paymentKey = sim.checkout('order-console-wh', 3_000);
        await pg.confirm(paymentKey, 'order-console-wh', 3_000);
        sim.consoleCancel(paymentKey, { cancelReason: 'console', cancelAmount: 1_000 });
        await sim.webhooksIdle();
        expect(receiver.statuses(paymentKey)).toEqual(['DONE', 'PARTIAL_CANCELED']);
      } finally {
        await receiver.stop();
      }
    });
  });

  describe('mismatch: the charge is real, the answers say otherwise', () => {
    it.each([
      ['totalAmount', 11_000],
      ['currency', 'USD'],
      ['orderId', 'order-mm-other'],
      ['paymentKey', expect.stringMatching(/^tsim_other_/)],
    ] as const)('%s: wrong in the confirm answer, the lookups and the webhooks; right in payments(), the transactions and for the cancel', async (field, wrong) => {
      const receiver = new HookReceiver();
      await receiver.start();
      try {
        sim.webhookUrl = receiver.url;
        const orderId = 'order-mm';
        const paymentKey = sim.checkout(orderId, 10_000, { kind: 'mismatch', field, ...(field === 'orderId' ? { value: 'order-mm-other' } : {}) });
        const confirmed = await pg.confirm(paymentKey, orderId, 10_000);
        expect(confirmed.status).toBe(200);
        expect(confirmed.body).toMatchObject({ status: 'DONE', [field]: wrong });
        expect((await pg.byKey(paymentKey)).body).toEqual(confirmed.body);
        expect((await pg.byOrder(orderId)).body).toEqual(confirmed.body);
        const real = sim.payments()[0];
        expect(real).toMatchObject({ paymentKey, orderId, totalAmount: 10_000, currency: 'KRW', status: 'DONE' });
        expect(sim.transactions()).toEqual([expect.objectContaining({ paymentKey, orderId, amount: 10_000, currency: 'KRW', status: 'DONE' })]);
        await sim.webhooksIdle();
        expect(receiver.got[0].body.data).toEqual(confirmed.body);

        const cancelled = await pg.cancel(paymentKey, { cancelReason: 'the answer did not match' });
        expect(cancelled.body).toMatchObject({ paymentKey, orderId, totalAmount: 10_000, currency: 'KRW', status: 'CANCELED' });
        expect((await pg.byKey(paymentKey)).body).toMatchObject({ status: 'CANCELED', [field]: wrong });
        sim.behave(paymentKey, { kind: 'approve' });
        expect((await pg.byKey(paymentKey)).body).toMatchObject({ paymentKey, orderId, totalAmount: 10_000, currency: 'KRW' });
      } finally {
        await receiver.stop();
      }
    });

    it('validates the field and the value', async () => {
      const bad = { status: 400, body: error('INVALID_REQUEST') };
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'mismatch' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'mismatch', field: 'status' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'mismatch', field: 'totalAmount', value: '1' })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'mismatch', field: 'currency', value: 5 })).toEqual(bad);
      expect((await pg.sim('POST', '/sim/behaviour', { kind: 'mismatch', field: 'totalAmount', value: 1 })).status).toBe(204);
      expect((await pg.confirm(sim.checkout('order-mm-default', 500), 'order-mm-default', 500)).body.totalAmount).toBe(1);
    });
  });

  describe('cancel-lost: the cancel lands, its answer does not', () => {
    it('applied, the client gets a 500; with thenFail the next calls answer 500 whatever their key; then the key replays what stands', async () => {
      const paymentKey = sim.checkout('order-cl', 10_000, { kind: 'cancel-lost', thenFail: 2 });
      await pg.confirm(paymentKey, 'order-cl', 10_000);
      expect(await pg.cancel(paymentKey, { cancelReason: 'refund', cancelAmount: 4_000 }, 'refund-1')).toEqual({ status: 500, body: error('FAILED_INTERNAL_SYSTEM_PROCESSING') });
      const landed = sim.payments()[0];
      expect(landed).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 6_000, cancels: [expect.objectContaining({ cancelAmount: 4_000 })] });
      expect(sim.transactions().map((t) => t.status)).toEqual(expect.arrayContaining(['DONE', 'PARTIAL_CANCELED']));

      expect((await pg.cancel(paymentKey, { cancelReason: 'refund', cancelAmount: 4_000 }, 'refund-1')).status).toBe(500);
      expect((await pg.cancel(paymentKey, { cancelReason: 'refund', cancelAmount: 4_000 }, 'refund-other')).status).toBe(500);
      expect(sim.payments()[0].balanceAmount).toBe(6_000);
      const replayed = await pg.cancel(paymentKey, { cancelReason: 'refund', cancelAmount: 4_000 }, 'refund-1');
      expect(replayed.status).toBe(200);
      expect(replayed.body).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 6_000, lastTransactionKey: landed.lastTransactionKey });
      expect(sim.calls.filter((c) => c.path.endsWith('/cancel')).map((c) => [c.status, c.replayed])).toEqual([[500, false], [500, false], [500, false], [200, true]]);
      // A new key does the work again: the lost cancel is not undone, this one is another.
      expect((await pg.cancel(paymentKey, { cancelReason: 'rest' }, 'refund-2')).body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    });

    it("'destroy' drops the connection; every retry without thenFail sees the cancel done", async () => {
      const paymentKey = sim.checkout('order-cl-drop', 5_000);
      await pg.confirm(paymentKey, 'order-cl-drop', 5_000);
      expect((await pg.sim('POST', '/sim/behave', { paymentKey, behaviour: { kind: 'cancel-lost', answer: 'destroy' } })).status).toBe(204);
      await expect(pg.cancel(paymentKey, { cancelReason: 'refund' })).rejects.toThrow(GONE);
      expect(sim.payments()[0].status).toBe('CANCELED');
      expect(await pg.cancel(paymentKey, { cancelReason: 'refund' })).toEqual({ status: 400, body: error('ALREADY_CANCELED_PAYMENT') });

      const bad = { status: 400, body: error('INVALID_REQUEST') };
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'cancel-lost', answer: 502 })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/behaviour', { kind: 'cancel-lost', thenFail: -1 })).toEqual(bad);
      expect(await pg.sim('POST', '/sim/behave', { paymentKey: 'tsim_none', behaviour: { kind: 'approve' } })).toEqual(bad);
    });
  });

  describe('order ids', () => {
    it('another gateway order id for the same shop order pays; an order id ever approved (even cancelled since) or with an account issued never again', async () => {
      const first = sim.checkout('order-12-1', 8_000);
      await pg.confirm(first, 'order-12-1', 8_000);
      await pg.cancel(first, { cancelReason: 'late approval' });
      expect(await pg.confirm(sim.checkout('order-12-1', 8_000), 'order-12-1', 8_000)).toEqual({ status: 400, body: error('DUPLICATED_ORDER_ID') });
      const second = sim.checkout('order-12-2', 8_000);
      expect((await pg.confirm(second, 'order-12-2', 8_000)).body).toMatchObject({ status: 'DONE', orderId: 'order-12-2' });

      const account = sim.checkout('order-13-1', 8_000, undefined, { method: 'VIRTUAL_ACCOUNT' });
      await pg.confirm(account, 'order-13-1', 8_000);
      expect((await pg.confirm(sim.checkout('order-13-1', 8_000), 'order-13-1', 8_000)).body.code).toBe('DUPLICATED_ORDER_ID');
      await pg.cancel(account, { cancelReason: 'closed' });
      expect((await pg.confirm(sim.checkout('order-13-1', 8_000), 'order-13-1', 8_000)).body.code).toBe('DUPLICATED_ORDER_ID');
    });
  });

  describe('easy pay', () => {
    it('paid from the provider: method 간편결제, easyPay { provider, amount, discountAmount: 0 }, card null', async () => {
      const created = await pg.sim('POST', '/sim/checkout', { orderId: 'order-ep', amount: 12_000, method: 'EASY_PAY', provider: '카카오페이' });
      const { paymentKey } = created.body;
      const confirmed = await pg.confirm(paymentKey, 'order-ep', 12_000);
      expect(confirmed.body).toMatchObject({ status: 'DONE', method: '간편결제', easyPay: { provider: '카카오페이', amount: 12_000, discountAmount: 0 }, card: null, virtualAccount: null });
      expect((await pg.byKey(paymentKey)).body).toEqual(confirmed.body);
      expect(sim.transactions()[0]).toMatchObject({ paymentKey, method: '간편결제', amount: 12_000 });
      expect((await pg.cancel(paymentKey, { cancelReason: 'r' })).body.status).toBe('CANCELED');
    });

    it('funded by a card registered with the provider: card.amount is the total, easyPay.amount 0', async () => {
      const paymentKey = sim.checkout('order-ep-card', 9_000, undefined, { method: 'EASY_PAY', provider: '네이버페이', funding: 'card' });
      const { body } = await pg.confirm(paymentKey, 'order-ep-card', 9_000);
      expect(body).toMatchObject({ method: '간편결제', easyPay: { provider: '네이버페이', amount: 0, discountAmount: 0 }, card: { amount: 9_000, approveNo: expect.stringMatching(/^\d{8}$/) } });
      const plain = sim.checkout('order-ep-toss', 1_000, undefined, { method: 'EASY_PAY' });
      expect((await pg.confirm(plain, 'order-ep-toss', 1_000)).body.easyPay.provider).toBe('토스페이');
    });

    it('checkout validates the method and its options', async () => {
      const bad = { status: 400, body: error('INVALID_REQUEST') };
      const checkout = (extra: Record<string, unknown>) => pg.sim('POST', '/sim/checkout', { orderId: 'order-ep-bad', amount: 1_000, ...extra });
      expect(await checkout({ method: 'BANK_TRANSFER' })).toEqual(bad);
      expect(await checkout({ provider: '카카오페이' })).toEqual(bad);
      expect(await checkout({ method: 'EASY_PAY', provider: '' })).toEqual(bad);
      expect(await checkout({ method: 'EASY_PAY', funding: 'points' })).toEqual(bad);
      expect(await checkout({ method: 'EASY_PAY', bank: '20' })).toEqual(bad);
      expect(await checkout({ method: 'VIRTUAL_ACCOUNT', bank: '99' })).toEqual(bad);
      expect(await checkout({ method: 'VIRTUAL_ACCOUNT', dueMs: 0 })).toEqual(bad);
      expect(await checkout({ method: 'VIRTUAL_ACCOUNT', dueMs: 1_000, dueDate: new Date(Date.now() + 60_000).toISOString() })).toEqual(bad);
      expect(await checkout({ method: 'VIRTUAL_ACCOUNT', dueDate: '2020-01-01T00:00:00+09:00' })).toEqual(bad);
      expect(await checkout({ method: 'VIRTUAL_ACCOUNT', expiresAs: 'GONE' })).toEqual(bad);
      expect(await checkout({ colour: 'red' })).toEqual(bad);
      expect(sim.payments()).toEqual([]);
    });
  });

  describe('virtual accounts', () => {
    const receiver = new HookReceiver();
    beforeAll(() => receiver.start());
    beforeEach(() => {
      receiver.clear();
      sim.webhookUrl = receiver.url;
    });
    afterAll(() => receiver.stop());
    const account = (orderId: string, amount: number, options: Record<string, unknown> = {}) => sim.checkout(orderId, amount, undefined, { method: 'VIRTUAL_ACCOUNT', ...options });
    const refundTo = { bank: '88', accountNumber: '110123456789', holderName: '김토스' };

    it('the confirm issues the account: 200 WAITING_FOR_DEPOSIT with virtualAccount and a secret, approvedAt null, its webhook', async () => {
      const before = Date.now();
      const paymentKey = account('order-va', 15_000, { bank: '신한', customerName: '박고객', dueMs: 3_600_000 });
      const issued = await pg.confirm(paymentKey, 'order-va', 15_000);
      expect(issued.status).toBe(200);
      expect(issued.body).toMatchObject({
        status: 'WAITING_FOR_DEPOSIT',
        method: '가상계좌',
        approvedAt: null,
        totalAmount: 15_000,
        balanceAmount: 15_000,
        card: null,
        easyPay: null,
        secret: expect.stringMatching(/^ps_[A-Za-z0-9_-]{24}$/),
        virtualAccount: {
          accountType: '일반',
          accountNumber: expect.stringMatching(/^\d{14}$/),
          bankCode: '88',
          customerName: '박고객',
          dueDate: expect.stringMatching(KST),
          expired: false,
          refundStatus: 'NONE',
          settlementStatus: 'INCOMPLETED',
          refundReceiveAccount: null,
          depositorName: null,
        },
      });
      const due = Date.parse(issued.body.virtualAccount.dueDate);
      expect(due % 1_000).toBe(0);
      expect(due).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(due).toBeLessThan(Date.now() + 3_601_000);
      expect((await pg.byKey(paymentKey)).body).toEqual(issued.body);
      expect((await pg.byOrder('order-va')).body).toEqual(issued.body);
      expect(await pg.confirm(paymentKey, 'order-va', 15_000)).toEqual({ status: 400, body: error('ALREADY_PROCESSED_PAYMENT') });
      await sim.webhooksIdle();
      expect(receiver.statuses(paymentKey)).toEqual(['WAITING_FOR_DEPOSIT']);
      expect(receiver.got.filter((d) => d.body.eventType === undefined)).toEqual([]); // no callback before a deposit
      const dated = account('order-va-dated', 1_000, { dueDate: `${kstLocal(Date.now() + 86_400_000)}.250` });
      expect(Date.parse((await pg.confirm(dated, 'order-va-dated', 1_000)).body.virtualAccount.dueDate) % 1_000).toBe(0);
    });

    it('deposit: DONE with approvedAt, a transaction, the status webhook and the deposit callback with the secret', async () => {
      const paymentKey = account('order-va-pay', 20_000);
      const { secret } = (await pg.confirm(paymentKey, 'order-va-pay', 20_000)).body;
      const deposited = await pg.sim('POST', '/sim/deposit', { paymentKey });
      expect(deposited.status).toBe(200);
      const { payment, transactionKey, webhookIds } = deposited.body;
      expect(payment).toMatchObject({ status: 'DONE', approvedAt: expect.stringMatching(KST), lastTransactionKey: transactionKey, virtualAccount: { depositorName: '김토스', expired: false } });
      expect((await pg.byKey(paymentKey)).body).toEqual(payment);
      expect(sim.transactions()).toEqual([expect.objectContaining({ paymentKey, transactionKey, status: 'DONE', amount: 20_000, transactionAt: payment.approvedAt, method: '가상계좌' })]);
      await sim.webhooksIdle();
      expect(webhookIds).toHaveLength(2);
      expect(receiver.statuses(paymentKey)).toEqual(['WAITING_FOR_DEPOSIT', 'DONE']);
      const callback = receiver.got.find((d) => d.body.eventType === undefined)!;
      expect(callback.body).toEqual({ createdAt: expect.stringMatching(WEBHOOK_TIME), secret, status: 'DONE', transactionKey, orderId: 'order-va-pay' });
      expect(sim.webhooks.find((w) => w.id === webhookIds[1])).toMatchObject({ eventType: 'DEPOSIT_CALLBACK', paymentKey, state: 'delivered' });

      const again = sim.sendStatusWebhook(paymentKey, 'DEPOSIT_CALLBACK');
      await sim.webhooksIdle();
      expect(receiver.got.at(-1)!.body).toEqual({ ...callback.body, createdAt: expect.any(String) });
      expect(sim.webhooks.at(-1)!.id).toBe(again);
      expect(await pg.sim('POST', '/sim/deposit', { paymentKey })).toEqual({ status: 409, body: error('NOT_DEPOSITABLE') });
      expect(await pg.sim('POST', '/sim/deposit', { paymentKey: sim.checkout('order-va-card', 1_000) })).toEqual({ status: 400, body: error('INVALID_REQUEST') });
    });

    it('a deposit holding back its callback: the status webhook goes, the callback waits to be released', async () => {
      const paymentKey = account('order-va-held', 5_000);
      await pg.confirm(paymentKey, 'order-va-held', 5_000);
      const { webhookIds } = sim.deposit(paymentKey, { holdCallback: true });
      await sim.webhooksIdle();
      expect(receiver.statuses(paymentKey)).toEqual(['WAITING_FOR_DEPOSIT', 'DONE']);
      expect(sim.webhooks.find((w) => w.id === webhookIds[1])).toMatchObject({ eventType: 'DEPOSIT_CALLBACK', state: 'held' });
      expect(receiver.got).toHaveLength(2);
      await sim.releaseWebhooks([webhookIds[1]]);
      expect(receiver.got.at(-1)!.body).toMatchObject({ status: 'DONE', orderId: 'order-va-held' });
    });

    it('closing before a deposit: CANCELED, the webhooks, no transaction; the bank then refuses a deposit; a partial close is refused', async () => {
      const paymentKey = account('order-va-close', 9_000);
      await pg.confirm(paymentKey, 'order-va-close', 9_000);
      expect(await pg.cancel(paymentKey, { cancelReason: 'order cancelled', cancelAmount: 1_000 })).toEqual({ status: 403, body: error('NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT') });
      const closed = await pg.cancel(paymentKey, { cancelReason: 'order cancelled' });
      expect(closed.body).toMatchObject({ status: 'CANCELED', approvedAt: null, balanceAmount: 0, cancels: [expect.objectContaining({ cancelAmount: 9_000 })] });
      expect(sim.transactions()).toEqual([]);
      expect(() => sim.deposit(paymentKey)).toThrow(expect.objectContaining({ code: 'NOT_DEPOSITABLE', status: 409, message: expect.stringContaining('closed') }));
      expect(await pg.cancel(paymentKey, { cancelReason: 'again' })).toEqual({ status: 400, body: error('ALREADY_CANCELED_PAYMENT') });
      await sim.webhooksIdle();
      expect(receiver.statuses(paymentKey)).toEqual(['WAITING_FOR_DEPOSIT', 'CANCELED']);
      expect(receiver.got.filter((d) => d.body.eventType === undefined).map((d) => d.body)).toEqual([
        expect.objectContaining({ status: 'CANCELED', transactionKey: closed.body.cancels[0].transactionKey, orderId: 'order-va-close' }),
      ]);
    });

    it('after the deposit a cancel needs refundReceiveAccount (the Toss codes when it is missing or wrong), records it, refunds', async () => {
      const paymentKey = account('order-va-refund', 30_000);
      await pg.confirm(paymentKey, 'order-va-refund', 30_000);
      sim.deposit(paymentKey);
      const refund = (extra: Record<string, unknown>) => pg.cancel(paymentKey, { cancelReason: 'refund', cancelAmount: 10_000, ...extra });
      expect(await refund({})).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect(await refund({ refundReceiveAccount: { ...refundTo, bank: '99' } })).toEqual({ status: 400, body: error('INVALID_BANK') });
      expect(await refund({ refundReceiveAccount: { ...refundTo, accountNumber: '110-123-456789' } })).toEqual({ status: 400, body: error('INVALID_REFUND_ACCOUNT_NUMBER') });
      expect(await refund({ refundReceiveAccount: { ...refundTo, holderName: ' ' } })).toEqual({ status: 400, body: error('INVALID_REFUND_ACCOUNT_INFO') });
      expect(sim.payments()[0].balanceAmount).toBe(30_000);

      const part = await refund({ refundReceiveAccount: refundTo });
      expect(part.body).toMatchObject({
        status: 'PARTIAL_CANCELED',
        balanceAmount: 20_000,
        virtualAccount: { refundStatus: 'COMPLETED', refundReceiveAccount: { bankCode: '88', accountNumber: '110123456789', holderName: '김토스' } },
      });
      const rest = sim.consoleCancel(paymentKey, { cancelReason: 'rest', refundReceiveAccount: { bank: '우리은행', accountNumber: '1002123456789', holderName: '김토스' } });
      expect(rest).toMatchObject({ status: 'CANCELED', balanceAmount: 0, virtualAccount: { refundReceiveAccount: { bankCode: '20' } } });
      expect(sim.transactions().map((t) => [t.status, t.amount])).toEqual(expect.arrayContaining([['DONE', 30_000], ['PARTIAL_CANCELED', 10_000], ['CANCELED', 20_000]]));
      await sim.webhooksIdle();
      expect(receiver.got.filter((d) => d.body.eventType === undefined).map((d) => d.body.status)).toEqual(['DONE', 'PARTIAL_CANCELED', 'CANCELED']);
    });

    it('the due date passing: expired, WAITING_FOR_DEPOSIT still (or EXPIRED with expiresAs), no deposit taken, the close still works', async () => {
      const lapsing = account('order-va-due', 4_000, { dueMs: 200 });
      const shown = account('order-va-due-expired', 4_000, { dueMs: 200, expiresAs: 'EXPIRED' });
      await pg.confirm(lapsing, 'order-va-due', 4_000);
      await pg.confirm(shown, 'order-va-due-expired', 4_000);
      await until(async () => (await pg.byKey(lapsing)).body.virtualAccount.expired === true, 3_000);
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse((await pg.byKey(lapsing)).body.virtualAccount.dueDate));
      expect((await pg.byKey(lapsing)).body.status).toBe('WAITING_FOR_DEPOSIT');
      await until(() => receiver.statuses(shown).includes('EXPIRED'), 2_000);
      expect((await pg.byKey(shown)).body).toMatchObject({ status: 'EXPIRED', approvedAt: null, virtualAccount: { expired: true } });
      expect(receiver.statuses(lapsing)).toEqual(['WAITING_FOR_DEPOSIT']); // its status did not change
      expect(await pg.sim('POST', '/sim/deposit', { paymentKey: lapsing })).toEqual({ status: 409, body: error('NOT_DEPOSITABLE') });
      expect(() => sim.deposit(shown)).toThrow('expired');
      for (const key of [lapsing, shown]) expect((await pg.cancel(key, { cancelReason: 'due date passed' })).body).toMatchObject({ status: 'CANCELED', approvedAt: null });
      expect(sim.transactions()).toEqual([]);
    });

    it('expire-account: the due date passes now, on demand', async () => {
      const paymentKey = account('order-va-now', 2_000);
      await pg.confirm(paymentKey, 'order-va-now', 2_000);
      expect((await pg.sim('POST', '/sim/expire-account', { paymentKey })).status).toBe(204);
      const { body } = await pg.byKey(paymentKey);
      expect(body).toMatchObject({ status: 'WAITING_FOR_DEPOSIT', virtualAccount: { expired: true } });
      expect(Date.parse(body.virtualAccount.dueDate)).toBeLessThanOrEqual(Date.now());
      expect(await pg.sim('POST', '/sim/expire-account', { paymentKey })).toEqual({ status: 400, body: error('INVALID_REQUEST') });
      expect(() => sim.deposit(paymentKey)).toThrow('expired');
      expect(() => sim.expireAccount(sim.checkout('order-va-card-now', 1_000))).toThrow('no virtual account');
    });

    it('a deposit racing a close ends deposited or closed, never both', async () => {
      const outcomes = new Set<string>();
      for (let round = 0; round < 12; round++) {
        const orderId = `order-va-race-${round}`;
        const paymentKey = account(orderId, 3_000);
        await pg.confirm(paymentKey, orderId, 3_000);
        sim.delayMs = 100;
        const closing = pg.cancel(paymentKey, { cancelReason: 'due date passed' });
        await sleep((round % 4) * 50);
        const deposit = await pg.sim('POST', '/sim/deposit', { paymentKey });
        const closed = await closing;
        sim.delayMs = 0;
        const final = sim.payments().find((p) => p.paymentKey === paymentKey)!;
        const booked = sim.transactions().filter((t) => t.paymentKey === paymentKey);
        if (deposit.status === 200) {
          expect(closed).toEqual({ status: 400, body: error('INVALID_REQUEST') }); // a deposited account needs a refund account
          expect(final).toMatchObject({ status: 'DONE', balanceAmount: 3_000, cancels: null });
          expect(booked.map((t) => t.status)).toEqual(['DONE']);
          outcomes.add('deposited');
        } else {
          expect(deposit).toEqual({ status: 409, body: error('NOT_DEPOSITABLE') });
          expect(closed.body.status).toBe('CANCELED');
          expect(final).toMatchObject({ status: 'CANCELED', approvedAt: null });
          expect(booked).toEqual([]);
          outcomes.add('closed');
        }
      }
      expect(outcomes).toEqual(new Set(['deposited', 'closed']));
    });
  });

  it('`node tools/pg-sim.mjs` serves a checkout and confirm, prints its URL, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'tools/pg-sim.mjs'], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, PG_SIM_PORT: String(port), PG_SECRET_KEY: SECRET, PG_SIM_DELAY_MS: '50' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = once(child, 'exit');
    try {
      await until(() => stdout.includes('\n') || child.exitCode !== null, 10_000);
      const url = `http://127.0.0.1:${port}`;
      expect(stdout).toBe(`pg-sim: Toss Payments v1 simulator on ${url} (delay 50 ms)\n`);
      const { paymentKey } = (await call(url, 'POST', '/sim/checkout', { orderId: 'order-cli', amount: 7_000 }, { authorization: '' })).body;
      const { result, ms } = await timed(() => call(url, 'POST', '/v1/payments/confirm', { paymentKey, orderId: 'order-cli', amount: 7_000 }, { 'idempotency-key': 'cli' }));
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ paymentKey, orderId: 'order-cli', status: 'DONE', totalAmount: 7_000 });
      expect(ms).toBeGreaterThanOrEqual(45);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual([0, null]);
    expect(stderr).toBe('');
  });
  it('`node tools/pg-sim.mjs` takes PG_SIM_WEBHOOK_URL, PG_SIM_WEBHOOK_RETRY_DELAYS_MS and PG_SIM_WEBHOOK_TIMEOUT_MS, and refuses bad ones', async () => {
    const receiver = new HookReceiver();
    await receiver.start();
    receiver.answer = (_, index) => (index === 1 ? 'hang' : index === 2 ? 500 : 200);
    const port = await freePort();
    const run = (env: Record<string, string>) =>
      spawn(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'tools/pg-sim.mjs'], { cwd: join(__dirname, '../..'), env: { ...process.env, PG_SIM_PORT: String(port), PG_SECRET_KEY: SECRET, ...env } });
    const child = run({ PG_SIM_WEBHOOK_URL: receiver.url, PG_SIM_WEBHOOK_RETRY_DELAYS_MS: '50, 50', PG_SIM_WEBHOOK_TIMEOUT_MS: '200' });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = once(child, 'exit');
    try {
      await until(() => stdout.includes('\n') || child.exitCode !== null, 10_000);
      const url = `http://127.0.0.1:${port}`;
      expect(stdout).toBe(`pg-sim: Toss Payments v1 simulator on ${url} (delay 0 ms, webhooks to ${receiver.url})\n`);
      const { paymentKey } = (await call(url, 'POST', '/sim/checkout', { orderId: 'order-cli-wh', amount: 1_000 }, { authorization: '' })).body;
      await call(url, 'POST', '/v1/payments/confirm', { paymentKey, orderId: 'order-cli-wh', amount: 1_000 });
      await until(() => receiver.got.length === 3, 5_000);
      const [hook] = (await call(url, 'GET', '/sim/webhooks', undefined, { authorization: '' })).body;
      expect(hook.attempts.map((a: Json) => a.status ?? a.error)).toEqual(['no answer within 200 ms', 500, 200]);
      expect((await call(url, 'GET', '/sim/webhook', undefined, { authorization: '' })).body).toMatchObject({ retryDelaysMs: [50, 50], timeoutMs: 200 });
    } finally {
      child.kill('SIGTERM');
      await receiver.stop();
    }
    expect(await exited).toEqual([0, null]);

    const refused: Record<string, string>[] = [{ PG_SIM_WEBHOOK_URL: 'nowhere' }, { PG_SIM_WEBHOOK_RETRY_DELAYS_MS: '10,soon' }, { PG_SIM_WEBHOOK_TIMEOUT_MS: '0' }];
    for (const env of refused) {
      const bad = run(env);
      let stderr = '';
      bad.stderr.on('data', (chunk) => (stderr += chunk));
      expect(await once(bad, 'exit')).toEqual([1, null]);
      expect(stderr).toMatch(/^pg-sim: .+\n$/);
    }
    const none = run({ PG_SIM_WEBHOOK_RETRY_DELAYS_MS: 'none', PG_SIM_PORT: '0' });
    let line = '';
    none.stdout.on('data', (chunk) => (line += chunk));
    await until(() => line.includes('\n'), 10_000);
    const printed = /on (http:\/\/\S+) /.exec(line)![1];
    expect((await call(printed, 'GET', '/sim/webhook', undefined, { authorization: '' })).body).toMatchObject({ url: null, retryDelaysMs: [] });
    none.kill('SIGTERM');
    expect(await once(none, 'exit')).toEqual([0, null]);
  });
});
