import { connect } from 'node:net';
import { Client } from 'pg';
import { ChildApp } from '../support/child-app';
import { parseRawResponse, rawExchange } from '../support/raw-http';

describe('graceful shutdown of the built app (e2e)', () => {
  const app = new ChildApp();
  beforeAll(async () => {
    await app.createDatabase();
    await app.start();
  });
  afterAll(() => app.dropDatabase());

  const charge = (amount: number) => app.charge(1, amount);

  it('finishes a request in flight at SIGTERM, refuses new connections, answers /health 503 on an open one, then exits 0 with its pools closed', async () => {
    expect((await charge(100)).status).toBe(200);

    // Hold the user's row so the next charge is still running when the signal arrives.
    const blocker = new Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM user_accounts WHERE id = 1 FOR UPDATE');
    const inFlight = charge(50);
    // A load balancer's probe connection, opened before the signal, asks only after it.
    let signalled: () => void;
    const signal = new Promise<void>((resolve) => (signalled = resolve));
    const probe = rawExchange(app.port, async (socket) => {
      await signal;
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    }, 5_000);
    await new Promise((r) => setTimeout(r, 300));

    app.process!.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const late = await new Promise((resolve) => {
      const socket = connect(app.port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(late).toBe('ECONNREFUSED');
    signalled!();
    const { received, closedAfterMs } = await probe;
    const health = parseRawResponse(received);
    expect(health).toMatchObject({ status: 503, body: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/draining/i) } });
    expect(health.headers).toMatch(/\r\nConnection: close/i);
    expect(closedAfterMs).not.toBeNull();

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

describe('SIGTERM to an instance under load (e2e)', () => {
  const app = new ChildApp({ LOG_LEVEL: 'warn', OUTBOX_POLL_INTERVAL_MS: '50' });
  beforeAll(async () => {
    await app.createDatabase();
    await app.start();
  });
  afterAll(() => app.dropDatabase());

  const call = app.call.bind(app);

  it('answers every request it accepted, finishes its outbox batch, sends no 5xx, exits 0', async () => {
    const product = (await call('POST', '/admin/products', 1, { name: 'p', price: 100, options: [{ name: 'a', stock: 100_000 }] }, 'admin')).body;
    const answers: number[] = [];
    let refused = 0;
    let stopped = false;
    const shopper = async (userId: number) => {
      while (!stopped) {
        try {
          const charged = await call('POST', '/me/balance/charge', userId, { amount: 100 });
          answers.push(charged.status);
          const order = await call('POST', '/orders', userId, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] });
          answers.push(order.status);
          if (order.status === 201) answers.push((await call('POST', '/payments', userId, { orderId: order.body.id })).status);
        } catch {
          // Once the server stops accepting, new connections are refused: that is not an answer.
          refused++;
          stopped ||= app.process!.exitCode !== null || app.process!.signalCode !== null || refused > 50;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, i) => shopper(100 + i)));
    await new Promise((r) => setTimeout(r, 1_500));
    app.process!.kill('SIGTERM');
    expect(await app.exited()).toBe(0);
    stopped = true;
    await load;

    expect(answers.length).toBeGreaterThan(50);
    expect(answers.filter((s) => s >= 500)).toEqual([]);
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const leased = (await db.query(`SELECT COUNT(*)::int AS n FROM outbox_events WHERE status = 'PENDING' AND attempts > 0`)).rows[0].n;
    const unpaidWithLog = (await db.query(`SELECT COUNT(*)::int AS n FROM balance_logs l JOIN orders o ON o.id = l.order_id WHERE o.status <> 'PAID'`)).rows[0].n;
    await db.end();
    expect({ leased, unpaidWithLog }).toEqual({ leased: 0, unpaidWithLog: 0 });
  });
});
