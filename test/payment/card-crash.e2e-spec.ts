import type { Client } from 'pg';
import { PgSimulator } from '../../tools/pg-simulator';
import { ChildApp } from '../support/child-app';
import { until } from '../support/http';

const SECRET = 'test_sk_card_crash';
const USER = 3;

describe('a crash while the gateway holds an approval (e2e)', () => {
  const pg = new PgSimulator({ secretKey: SECRET });
  const app = new ChildApp({
    ORDER_SWEEP_INTERVAL_MS: '0',
    PG_SECRET_KEY: SECRET,
    PG_TIMEOUT_MS: '3000',
    PG_RECONCILE_INTERVAL_MS: '300',
  });
  let db: Client;

  beforeAll(async () => {
    await pg.start();
    app.env.PG_BASE_URL = pg.url;
    await app.createDatabase();
    await app.start();
    db = await app.connect();
  });
  afterAll(async () => {
    await app.dropDatabase();
    await pg.stop();
  });

  it('SIGKILL between the approval and phase 3: after a restart the reconciler leaves the order PAID with exactly one standing charge', async () => {
    const product = (await app.call('POST', '/admin/products', 1, { name: 'crash', price: 7_000, options: [{ name: 'a', stock: 3 }] }, 'admin')).body;
    const order = (await app.call('POST', '/orders', USER, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] })).body;
    // The gateway approves 200 ms after the confirm and never answers it: the server is killed while it waits.
    const paymentKey = pg.checkout(`order-${order.id}`, 7_000, { kind: 'late-approval', lateMs: 200, answer: 'timeout' });
    const inFlight = app.call('POST', '/payments', USER, { orderId: order.id, method: 'CARD', paymentKey }).catch(() => null);
    await until(() => pg.payments().some((p) => p.paymentKey === paymentKey && p.status === 'DONE'), 5_000);

    app.process!.kill('SIGKILL');
    expect(await app.exited()).toBe('SIGKILL');
    expect(await inFlight).toBeNull();
    const [left] = (await db.query(`SELECT o.status AS "order", p.status AS payment FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1`, [order.id])).rows;
    expect(left).toEqual({ order: 'PAYING', payment: 'PROCESSING' });

    await app.start();
    await until(async () => (await db.query(`SELECT status FROM orders WHERE id = $1`, [order.id])).rows[0].status === 'PAID', 10_000);

    const payments = (await db.query(`SELECT status, approval_number AS "approvalNumber", amount FROM payments WHERE order_id = $1`, [order.id])).rows;
    const [charge] = pg.payments().filter((p) => p.orderId === `order-${order.id}`);
    expect(payments).toEqual([{ status: 'COMPLETED', approvalNumber: charge.card!.approveNo, amount: 7_000 }]);
    expect(pg.payments().filter((p) => p.orderId === `order-${order.id}` && p.status === 'DONE')).toHaveLength(1);
    expect(pg.calls.filter((c) => c.path.endsWith('/cancel'))).toEqual([]);
    const [option] = (await db.query(`SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1`, [product.options[0].id])).rows;
    expect(option).toEqual({ onHand: 2, reserved: 0 });
    expect(app.output).toContain('gateway payments reconciled with the gateway');
  });
});
