import { Injectable } from '@nestjs/common';
import type { Response } from 'supertest';
import { requestFingerprint } from '../../src/common/http/idempotency/fingerprint';
import { PurgeIdempotencyKeysJob } from '../../src/common/http/idempotency/purge-idempotency-keys.job';
import { BalanceStore } from '../../src/user/application/ports/balance-store.port';
import { BalanceRepository } from '../../src/user/infrastructure/balance.repository';
import { concurrently, countBy } from '../support/http';
import { shop } from '../support/shop';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const REPLAYED = 'idempotent-replayed';

function helpers(t: TestApp) {
  return {
    charge(userId: number, amount: number, key?: string) {
      const req = t.http().post('/me/balance/charge').set(bearer(t.token(userId)));
      if (key !== undefined) req.set('Idempotency-Key', key);
      return req.send({ amount });
    },
    async balance(userId: number): Promise<number> {
      return (await t.http().get('/me/balance').set(bearer(t.token(userId))).expect(200)).body.balance;
    },
    async chargeLogs(userId: number): Promise<number> {
      const [{ count }] = await t.db.query(`SELECT COUNT(*)::int AS count FROM balance_logs WHERE user_id = $1 AND type = 'CHARGE'`, [userId]);
      return count;
    },
    async keyRows(userId: number) {
      return t.db.query(
        'SELECT key, status, response_status AS "responseStatus", response_body AS "responseBody" FROM idempotency_keys WHERE user_id = $1 ORDER BY key',
        [userId],
      ) as Promise<{ key: string; status: string; responseStatus: number | null; responseBody: unknown }[]>;
    },
    /** A key row as a crashed or still running first attempt leaves it, for a charge of `amount`. */
    async inProgress(userId: number, key: string, amount: number, lockedUntil: string) {
      const fingerprint = requestFingerprint({ method: 'POST', path: '/me/balance/charge', body: { amount } });
      await t.db.query(
        `INSERT INTO idempotency_keys (user_id, key, fingerprint, status, locked_until, expires_at)
         VALUES ($1, $2, $3, 'IN_PROGRESS', now() + $4::interval, now() + interval '24 hours')`,
        [userId, key, fingerprint, lockedUntil],
      );
    },
  };
}

describe('Idempotency-Key (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0' } });
    s = shop(t);
    h = helpers(t);
  });
  afterAll(() => t.close());

  it('replays a charge with the first status and body, charging once; the key row is COMPLETED with that response', async () => {
    const first = await h.charge(1, 1_000, 'charge-1').expect(200);
    expect(first.body).toEqual({ userId: 1, balance: 1_000 });
    expect(first.headers[REPLAYED]).toBeUndefined();

    for (let i = 0; i < 2; i++) {
      const again = await h.charge(1, 1_000, 'charge-1').expect(200);
      expect(again.headers[REPLAYED]).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(await h.balance(1)).toBe(1_000);
    expect(await h.chargeLogs(1)).toBe(1);
    expect(await h.keyRows(1)).toEqual([{ key: 'charge-1', status: 'COMPLETED', responseStatus: 200, responseBody: first.body }]);
  });

  it('without the header runs every request and stores nothing', async () => {
    await h.charge(2, 100).expect(200);
    await h.charge(2, 100).expect(200);
    expect(await h.balance(2)).toBe(200);
    expect(await h.keyRows(2)).toEqual([]);
  });

  it('replays a created order with 201 and the same body, reserving its stock once', async () => {
    const p = await s.product(1_000, [5]);
    const send = () =>
      t.http().post('/orders').set(bearer(t.token(3))).set('Idempotency-Key', 'order-1').send({ items: [{ productOptionId: p.options[0].id, quantity: 2 }] });
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await s.option(p.options[0].id)).toEqual({ onHand: 5, reserved: 2 });
    const [{ count }] = await t.db.query('SELECT COUNT(*)::int AS count FROM orders WHERE user_id = 3');
    expect(count).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_MISMATCH for the same key with another body or on another route', async () => {
    await h.charge(4, 100, 'k').expect(200);
    const otherBody = await h.charge(4, 200, 'k').expect(422);
    expect(otherBody.body).toEqual({ statusCode: 422, code: 'IDEMPOTENCY_KEY_MISMATCH', message: expect.any(String) });
    const p = await s.product(1_000, [5]);
    const otherRoute = await t.http().post('/orders').set(bearer(t.token(4))).set('Idempotency-Key', 'k').send({ items: [{ productOptionId: p.options[0].id, quantity: 1 }] }).expect(422);
    expect(otherRoute.body.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
    expect(await h.balance(4)).toBe(100);
    expect(await s.option(p.options[0].id)).toEqual({ onHand: 5, reserved: 0 });
  });

  it('20 simultaneous requests with one key do the work once; the others are 409 IDEMPOTENCY_KEY_IN_USE or a replay, never 5xx', async () => {
    const responses = await concurrently(20, () => h.charge(5, 700, 'burst'));
    const outcome = (r: Response) => (r.status === 200 ? (r.headers[REPLAYED] === 'true' ? 'replayed' : 'worked') : `${r.status} ${r.body.code}`);
    const counts = countBy(responses, outcome);
    expect(counts.worked).toBe(1);
    expect(Object.keys(counts).filter((o) => !['worked', 'replayed', '409 IDEMPOTENCY_KEY_IN_USE'].includes(o))).toEqual([]);
    const worked = responses.find((r) => outcome(r) === 'worked')!;
    expect(worked.body).toEqual({ userId: 5, balance: 700 });
    for (const r of responses.filter((r) => outcome(r) === 'replayed')) expect(r.body).toEqual(worked.body);
    expect(await h.balance(5)).toBe(700);
    expect(await h.chargeLogs(5)).toBe(1);
  });

  it('does not store a validation failure: the same key then works with a valid body', async () => {
    const bad = await h.charge(6, 0, 'fix-me').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(await h.keyRows(6)).toEqual([]);
    const fixed = await h.charge(6, 100, 'fix-me').expect(200);
    expect(fixed.headers[REPLAYED]).toBeUndefined();
    expect(fixed.body).toEqual({ userId: 6, balance: 100 });
    expect((await h.charge(6, 100, 'fix-me').expect(200)).headers[REPLAYED]).toBe('true');
    expect(await h.balance(6)).toBe(100);
  });

  it('stores and replays a business error: 409 INSUFFICIENT_STOCK stays the answer to that key after restocking', async () => {
    const p = await s.product(1_000, [1]);
    const option = p.options[0].id;
    const order = (key: string) =>
      t.http().post('/orders').set(bearer(t.token(7))).set('Idempotency-Key', key).send({ items: [{ productOptionId: option, quantity: 2 }] });
    const first = await order('short').expect(409);
    expect(first.body.code).toBe('INSUFFICIENT_STOCK');
    expect(first.headers[REPLAYED]).toBeUndefined();

    await t.http().patch(`/admin/products/${p.id}/options/${option}`).set(bearer(t.token(900_000, 'admin'))).send({ onHand: 5 }).expect(200);
    const replay = await order('short').expect(409);
    expect(replay.headers[REPLAYED]).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await s.option(option)).toEqual({ onHand: 5, reserved: 0 });

    await order('short-retry').expect(201);
    expect(await s.option(option)).toEqual({ onHand: 5, reserved: 2 });
  });

  it('keeps keys per user: two users with the same key are both charged', async () => {
    const a = await h.charge(8, 100, 'shared').expect(200);
    const b = await h.charge(9, 200, 'shared').expect(200);
    expect([a.headers[REPLAYED], b.headers[REPLAYED]]).toEqual([undefined, undefined]);
    expect([await h.balance(8), await h.balance(9)]).toEqual([100, 200]);
  });

  it('treats an expired key as new, whatever the body', async () => {
    await h.charge(10, 100, 'old').expect(200);
    await t.db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE user_id = 10`);
    const fresh = await h.charge(10, 250, 'old').expect(200);
    expect(fresh.headers[REPLAYED]).toBeUndefined();
    expect(fresh.body).toEqual({ userId: 10, balance: 350 });
    expect((await h.charge(10, 250, 'old').expect(200)).body).toEqual(fresh.body);
    expect(await h.balance(10)).toBe(350);
  });

  it('takes over an IN_PROGRESS key whose lease ran out (its first attempt died) and does the work', async () => {
    await h.inProgress(11, 'orphan', 300, '-1 second');
    const res = await h.charge(11, 300, 'orphan').expect(200);
    expect(res.headers[REPLAYED]).toBeUndefined();
    expect(res.body).toEqual({ userId: 11, balance: 300 });
    expect(await h.keyRows(11)).toEqual([{ key: 'orphan', status: 'COMPLETED', responseStatus: 200, responseBody: res.body }]);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE while the key is IN_PROGRESS with a lease still running', async () => {
    await h.inProgress(12, 'busy', 300, '60 seconds');
    const res = await h.charge(12, 300, 'busy').expect(409);
    expect(res.body).toEqual({ statusCode: 409, code: 'IDEMPOTENCY_KEY_IN_USE', message: expect.any(String) });
    expect(await h.balance(12)).toBe(0);
  });

  it.each([
    ['256 characters', 'k'.repeat(256)],
    ['a tab', 'a\tb'],
    ['an empty value', ''],
    ['a non-ASCII character', 'clé'],
  ])('refuses a key with %s as 400 VALIDATION_FAILED and does nothing', async (_, key) => {
    const res = await h.charge(13, 100, key).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await h.balance(13)).toBe(0);
    expect(await h.keyRows(13)).toEqual([]);
  });

  it('accepts a key of 255 printable characters, spaces and symbols included', async () => {
    const key = `a b~!${'x'.repeat(250)}`;
    await h.charge(14, 100, key).expect(200);
    expect((await h.charge(14, 100, key).expect(200)).headers[REPLAYED]).toBe('true');
    expect(await h.balance(14)).toBe(100);
  });

  it('purges expired keys in batches and keeps live ones', async () => {
    await t.db.query(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, status, locked_until, expires_at)
       SELECT 15, 'old-' || i, repeat('0', 64), 'COMPLETED', now() - interval '2 days', now() - interval '1 day'
       FROM generate_series(1, 2500) AS i`,
    );
    await h.charge(15, 100, 'live').expect(200);
    expect(await t.app.get(PurgeIdempotencyKeysJob).purge()).toBe(2_500);
    expect((await h.keyRows(15)).map((r) => r.key)).toEqual(['live']);
    expect(await t.app.get(PurgeIdempotencyKeysJob).purge()).toBe(0);
  });
});

type LogEntry = Parameters<BalanceRepository['appendLog']>[1];

/**
 * The real balance repository with scripted steps around its next CHARGE logs: the log is
 * written inside the charge's transaction, after the credit, so a step can fail or stall the
 * work while the transaction and the key's claim are open.
 */
@Injectable()
class ScriptedBalances extends BalanceRepository {
  readonly script: ((write: () => Promise<void>) => Promise<void>)[] = [];

  override appendLog(userId: number, entry: LogEntry): Promise<void> {
    const write = () => super.appendLog(userId, entry);
    const step = entry.type === 'CHARGE' ? this.script.shift() : undefined;
    return step ? step(write) : write();
  }
}

describe('Idempotency-Key with a failing or stalled handler (e2e)', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;
  let balances: ScriptedBalances;

  beforeAll(async () => {
    t = await createTestApp({ override: (b) => b.overrideProvider(BalanceStore).useClass(ScriptedBalances) });
    h = helpers(t);
    balances = t.app.get(BalanceStore) as ScriptedBalances;
  });
  afterAll(() => t.close());

  it('a 5xx after the work rolls the work back with the key released, so the retry charges exactly once', async () => {
    balances.script.push(async (write) => {
      await write();
      throw new Error('process crashed after charging');
    });
    const failed = await h.charge(1, 500, 'flaky').expect(500);
    expect(failed.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR' });
    expect(await h.balance(1)).toBe(0);
    expect(await h.keyRows(1)).toEqual([]);

    const retried = await h.charge(1, 500, 'flaky').expect(200);
    expect(retried.headers[REPLAYED]).toBeUndefined();
    expect(retried.body).toEqual({ userId: 1, balance: 500 });
    expect((await h.charge(1, 500, 'flaky').expect(200)).headers[REPLAYED]).toBe('true');
    expect(await h.balance(1)).toBe(500);
    expect(await h.chargeLogs(1)).toBe(1);
  });

  it('while the first attempt holds its key in its transaction, a duplicate answers 409 at once; afterwards it replays; charged once', async () => {
    let resume!: () => void;
    const stalled = new Promise<void>((resolve) => (resume = resolve));
    let reached!: () => void;
    const inTransaction = new Promise<void>((resolve) => (reached = resolve));
    balances.script.push(async (write) => {
      reached();
      await stalled;
      return write();
    });
    const slow = h.charge(2, 400, 'slow').then((r) => r);
    await inTransaction;

    const duplicate = await h.charge(2, 400, 'slow').expect(409);
    expect(duplicate.body).toEqual({ statusCode: 409, code: 'IDEMPOTENCY_KEY_IN_USE', message: expect.any(String) });
    expect(await h.keyRows(2)).toEqual([]);
    resume();
    const first = await slow;
    expect(first.status).toBe(200);
    expect(first.headers[REPLAYED]).toBeUndefined();

    const replay = await h.charge(2, 400, 'slow').expect(200);
    expect(replay.headers[REPLAYED]).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await h.balance(2)).toBe(400);
    expect(await h.chargeLogs(2)).toBe(1);
    expect(await h.keyRows(2)).toEqual([{ key: 'slow', status: 'COMPLETED', responseStatus: 200, responseBody: first.body }]);
  });
});
