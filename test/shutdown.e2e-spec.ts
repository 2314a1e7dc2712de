import { Client } from 'pg';
import { ChildApp } from './support/child-app';

describe('graceful shutdown of the built app (e2e)', () => {
  const app = new ChildApp();
  beforeAll(async () => {
    await app.createDatabase();
    await app.start();
  });
  afterAll(() => app.dropDatabase());

  const charge = (amount: number) =>
    fetch(`${app.baseUrl}/me/balance/charge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token(1)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount }),
    });

  it('finishes a request in flight at SIGTERM, refuses new ones, then exits 0 with its pools closed', async () => {
    expect((await charge(100)).status).toBe(200);

    // Hold the user's row so the next charge is still running when the signal arrives.
    const blocker = new Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM user_accounts WHERE id = 1 FOR UPDATE');
    const inFlight = charge(50);
    await new Promise((r) => setTimeout(r, 300));

    app.process!.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const late = await fetch(`${app.baseUrl}/health`).then((r) => r.status, () => 'refused');
    expect(late).toBe('refused');

    await blocker.query('COMMIT');
    await blocker.end();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: 1, balance: 150 });
    expect(await app.exited()).toBe(0);
    expect(app.output).toContain('draining in-flight requests');
    expect(app.output).toContain('shutdown complete');

    const check = new Client({ connectionString: app.databaseUrl });
    await check.connect();
    const [{ balance }] = (await check.query('SELECT balance FROM user_accounts WHERE id = 1')).rows;
    const [{ open }] = (await check.query(`SELECT COUNT(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows;
    await check.end();
    expect({ balance: Number(balance), open }).toEqual({ balance: 150, open: 0 });
  });
});
