import { spawn } from 'node:child_process';
import { once } from 'node:events';
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
});
