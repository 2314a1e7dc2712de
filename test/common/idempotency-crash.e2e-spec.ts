import { Client } from 'pg';
import { ChildApp, Json } from '../support/child-app';
import { until } from '../support/http';
import { POSTGRES_ROUTES } from '../support/postgres-routes';

const USER = 7;

describe.each(POSTGRES_ROUTES)('a keyed payment in flight when the process is killed, $name (e2e)', (route) => {
  const app = new ChildApp({ ORDER_SWEEP_INTERVAL_MS: '0' });
  let db: Client;

  beforeAll(async () => {
    await route.open();
    Object.assign(app.env, route.env(app.databaseName));
    await app.createDatabase();
    await app.start();
    db = await app.connect();
  });
  afterAll(async () => {
    await app.dropDatabase();
    await route.close();
  });

  const pay = async (orderId: number, key: string) => {
    const res = await fetch(`${app.baseUrl}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.token(USER)}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ orderId }),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Json };
  };

  it('frees the key with its holder: after a restart the retry is decided within seconds, and the order is paid once', async () => {
    const product = (await app.call('POST', '/admin/products', 1, { name: 'kill', price: 1_000, options: [{ name: 'a', stock: 5 }] }, 'admin')).body;
    expect((await app.charge(USER, 5_000)).status).toBe(200);
    const order = (await app.call('POST', '/orders', USER, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] })).body;

    // Hold the user's balance row, so that the payment stops inside its transaction (key claimed, order PAYING).
    const blocker = new Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT balance FROM user_accounts WHERE id = $1 FOR UPDATE', [USER]);
    const inFlight = pay(order.id, 'kill-me').catch(() => null);
    await until(async () => {
      const rows = await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'shop-payments' AND wait_event_type = 'Lock'`);
      return rows.rowCount === 1;
    }, 5_000);

    app.process!.kill('SIGKILL');
    expect(await app.exited()).toBe('SIGKILL');
    expect(await inFlight).toBeNull();
    await blocker.query('COMMIT');
    await blocker.end();

    await app.start();
    const restarted = Date.now();
    const refusals: string[] = [];
    let decided: Awaited<ReturnType<typeof pay>>;
    for (;;) {
      decided = await pay(order.id, 'kill-me');
      if (decided.status !== 409) break;
      refusals.push(decided.body.code);
      await new Promise((r) => setTimeout(r, 100));
    }
    const waitedMs = Date.now() - restarted;

    expect({ status: decided.status, replayed: decided.replayed }).toEqual({ status: 201, replayed: null });
    // At most the payment lock's TTL (3 s): never the minute a committed claim with a lease kept it.
    expect(waitedMs).toBeLessThan(4_000);
    expect(refusals.every((code) => code === 'PAYMENT_IN_PROGRESS')).toBe(true);

    const again = await pay(order.id, 'kill-me');
    expect({ status: again.status, replayed: again.replayed, body: again.body }).toEqual({ status: 201, replayed: 'true', body: decided.body });
    const [{ payments, uses, balance }] = (
      await db.query(
        `SELECT (SELECT count(*)::int FROM payments WHERE order_id = $1) AS payments,
                (SELECT count(*)::int FROM balance_logs WHERE order_id = $1 AND type = 'USE') AS uses,
                (SELECT balance FROM user_accounts WHERE id = $2) AS balance`,
        [order.id, USER],
      )
    ).rows;
    expect({ payments, uses, balance: Number(balance) }).toEqual({ payments: 1, uses: 1, balance: 4_000 });
  });
});
