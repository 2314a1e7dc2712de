import { Client } from 'pg';
import { ChildApp } from '../support/child-app';
import { concurrently, until } from '../support/http';

/** Lines of the process's JSON log. */
const logLines = (app: ChildApp) =>
  app.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { pid: number; msg: string; context?: string; workerPid?: number; role?: string });

describe('WEB_CONCURRENCY=2: one port, two workers (e2e)', () => {
  const app = new ChildApp({ WEB_CONCURRENCY: '2', LOG_LEVEL: 'info' });
  beforeAll(async () => {
    await app.createDatabase();
    await app.start();
    // start() returns once one worker answers; the test needs both listening.
    await until(async () => logLines(app).filter((l) => l.context === 'Main' && l.msg === 'listening').length === 2, 20_000);
  });
  afterAll(() => app.dropDatabase());

  // A new connection each time, so that both workers get some.
  const charge = (amount: number) => app.charge(1, amount, { connection: 'close' });

  it('serves from both workers, adds up exactly, and reports metrics for the whole cluster', async () => {
    const statuses = await concurrently(100, async (i) => (await charge(i + 1)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const balance = await (await fetch(`${app.baseUrl}/me/balance`, { headers: { authorization: `Bearer ${app.token(1)}` } })).json();
    expect(balance).toEqual({ userId: 1, balance: 5050 });

    const servers = new Set(logLines(app).filter((l) => l.msg === 'request completed').map((l) => l.pid));
    expect(servers.size).toBe(2);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const line = metrics.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes('route="/me/balance/charge"') && l.includes('status="200"'));
    expect(line?.split(' ').pop()).toBe('100');
  });

  it('replaces a worker that dies, and drains both on SIGTERM', async () => {
    const workers = [...new Set(logLines(app).filter((l) => l.context === 'Main' && l.msg === 'listening').map((l) => l.pid))];
    expect(workers).toHaveLength(2);
    const started = logLines(app).filter((l) => l.msg === 'worker started');
    expect(started.map((l) => l.role).sort()).toEqual(['jobs', 'requests']);
    // The worker that runs the background jobs dies: its replacement takes them over.
    const jobs = started.find((l) => l.role === 'jobs')!.workerPid!;
    expect(workers).toContain(jobs);
    process.kill(jobs, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (logLines(app).filter((l) => l.context === 'Main' && l.msg === 'listening').length < 3) {
      if (Date.now() > deadline) throw new Error(`no replacement worker:\n${app.output.slice(-2_000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(logLines(app).find((l) => l.msg === 'worker died; starting a replacement' && l.workerPid === jobs)?.role).toBe('jobs');
    expect((await charge(1)).status).toBe(200);
    const product = (await app.call('POST', '/admin/products', 1, { name: 'relayed', price: 100, options: [{ name: 'a', stock: 5 }] }, 'admin')).body;
    const order = (await app.call('POST', '/orders', 1, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] })).body;
    expect((await app.call('POST', '/payments', 1, { orderId: order.id })).status).toBe(201);
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      await until(async () => (await db.query(`SELECT 1 FROM outbox_events WHERE aggregate_id = $1 AND status <> 'DELIVERED'`, [order.id])).rowCount === 0, 10_000);
    } finally {
      await db.end();
    }

    app.process!.kill('SIGTERM');
    expect(await app.exited()).toBe(0);
    expect(logLines(app).filter((l) => l.msg === 'shutdown complete')).toHaveLength(2);
    expect(logLines(app).some((l) => l.msg === 'all workers stopped')).toBe(true);
  });
});
