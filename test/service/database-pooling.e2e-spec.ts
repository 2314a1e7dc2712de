import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Sql } from '../../src/common/database/sql';
import { typeOrmOptions } from '../../src/common/database/typeorm-options';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/infrastructure';
import { PgBouncer } from '../support/pgbouncer';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const USER = 5;
const SETTINGS = `SELECT pg_backend_pid() AS pid,
  current_setting('statement_timeout') AS statement_timeout, current_setting('lock_timeout') AS lock_timeout,
  current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('client_connection_check_interval') AS check_interval`;

type Settings = { pid: number; statement_timeout: string; lock_timeout: string; idle: string; check_interval: string };
const without = ({ pid: _, ...settings }: Settings) => settings;

const LIMITS = { statement_timeout: '5s', lock_timeout: '3s', idle: '15s', check_interval: '1s' };

describe('DATABASE_POOLING=session: Postgres directly (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Two connections, both used by the parallel requests below, so that the test's own
    // statements see a session the requests used.
    t = await createTestApp({ env: { DB_POOL_SIZE: '2' } });
  });
  afterAll(() => t.close());

  it("every connection of the pool has the service's limits for its whole session, in and outside transactions", async () => {
    const inTransaction = await t.db.transaction((m) => m.query(SETTINGS).then((rows: Settings[]) => rows[0]));
    const [outside] = (await t.db.query(SETTINGS)) as Settings[];
    expect([without(inTransaction), without(outside)]).toEqual([LIMITS, LIMITS]);
  });

  it("the repositories' statements are prepared once per session, by name, and run again by it", async () => {
    const charge = () => t.http().post('/me/balance/charge').set(bearer(t.token(USER))).send({ amount: 1_000 });
    expect((await Promise.all(Array.from({ length: 10 }, charge))).map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await Promise.all(Array.from({ length: 10 }, charge))).map((r) => r.status)).toEqual(Array(10).fill(200));
    const prepared = (await t.db.query(`SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%user_accounts%'`)) as { name: string; statement: string }[];
    expect(prepared.length).toBeGreaterThan(0);
    expect(prepared.every((p) => /^s_[0-9a-f]{20}$/.test(p.name))).toBe(true);
    expect((await t.http().get('/me/balance').set(bearer(t.token(USER)))).body.balance).toBe(20_000);
  });

  it('a transaction whose connection died runs nothing more: its next statement fails, on no other connection', async () => {
    await t.db.query('CREATE TABLE probe_writes (v int)');
    const sql = t.app.get(Sql);
    const killed = t.app.get(UnitOfWork).run(async () => {
      await sql.rows('INSERT INTO probe_writes VALUES (1)');
      const [{ pid }] = await sql.rows<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
      // The connection's error event releases TypeORM's runner; the next statement comes after it.
      await new Promise((r) => setTimeout(r, 300));
      await sql.rows('INSERT INTO probe_writes VALUES (2)');
    });
    await expect(killed).rejects.toThrow(/already released|terminat|Connection/i);
    expect(await t.db.query('SELECT v FROM probe_writes')).toEqual([]);
  });
});

/**
 * The service behind one PgBouncer in transaction pooling mode with ONE server connection:
 * every client of it, the app's whole pool and the test's own, takes turns on one server session.
 */
describe('DATABASE_POOLING=transaction: behind PgBouncer in transaction pooling mode (e2e)', () => {
  const bouncer = new PgBouncer(1);
  let t: TestApp;
  let serverDefaults: Omit<Settings, 'pid'>;

  const settingsOf = async (url: string): Promise<Settings> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<Settings>(SETTINGS)).rows[0];
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await bouncer.start();
    t = await createTestApp({ via: { postgresPort: bouncer.port }, env: { DATABASE_POOLING: 'transaction' } });
    serverDefaults = without(await settingsOf(ADMIN_DATABASE_URL));
  });
  afterAll(async () => {
    await t.close();
    await bouncer.destroy();
  });

  it('without DATABASE_POOLING=transaction the pool cannot connect: PgBouncer refuses the session settings sent at connect', async () => {
    const session = new DataSource(typeOrmOptions({ ...t.config, DATABASE_POOLING: 'session' }, []));
    await expect(session.initialize()).rejects.toThrow('unsupported startup parameter: options');
  });

  it("every transaction runs with the service's limits; statements outside one, and the next client of the server session, get the server's", async () => {
    const inTransaction = await t.db.transaction((m) => m.query(SETTINGS).then((rows: Settings[]) => rows[0]));
    const [outside] = (await t.db.query(SETTINGS)) as Settings[];
    const nextClient = await settingsOf(t.config.DATABASE_URL);

    expect(without(inTransaction)).toEqual(LIMITS);
    expect(without(outside)).toEqual(serverDefaults);
    expect(without(nextClient)).toEqual(serverDefaults);
    // One server session for all three: what the transaction set ended with it.
    expect(new Set([inTransaction.pid, outside.pid, nextClient.pid]).size).toBe(1);
    expect(serverDefaults).not.toEqual(without(inTransaction));
  });

  it('no statement is prepared by name: PgBouncer 1.18 would hand the next transaction a server session without it', async () => {
    expect((await t.http().post('/me/balance/charge').set(bearer(t.token(USER + 1))).send({ amount: 1_000 })).status).toBe(200);
    expect(await t.db.query(`SELECT name FROM pg_prepared_statements`)).toEqual([]);
  });

  it('a request waiting on a lock gives up after lock_timeout (503 within 5 s), and the one server session serves the next request', async () => {
    const charge = () => t.http().post('/me/balance/charge').set(bearer(t.token(USER))).send({ amount: 1_000 });
    expect((await charge()).status).toBe(200);
    const blocker = new Client({ connectionString: databaseUrl(new URL(t.config.DATABASE_URL).pathname.slice(1)) });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM user_accounts WHERE id = $1 FOR UPDATE', [USER]);
      const started = Date.now();
      const refused = await charge();
      const waitedMs = Date.now() - started;
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      // lock_timeout (3 s), not the pool's client-side query_timeout (6 s), which would leave
      // the server session waiting on the lock, and every other client of PgBouncer behind it.
      expect(waitedMs).toBeGreaterThanOrEqual(2_900);
      expect(waitedMs).toBeLessThan(5_000);
      expect((await t.http().get('/me/balance').set(bearer(t.token(USER)))).body.balance).toBe(1_000);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect((await charge()).status).toBe(200);
  });
});
