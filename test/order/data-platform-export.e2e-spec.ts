import { until } from '../support/http';
import { shop } from '../support/shop';
import { Receiver } from '../support/receiver';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const FAST_RETRIES = { OUTBOX_POLL_INTERVAL_MS: '50', OUTBOX_BACKOFF_BASE_MS: '100', OUTBOX_BACKOFF_MAX_MS: '500', ORDER_SWEEP_INTERVAL_MS: '0' };

describe('data-platform export (e2e)', () => {
  const receiver = new Receiver();
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await receiver.up();
    t = await createTestApp({ env: { ...FAST_RETRIES, DATA_PLATFORM_URL: receiver.url } });
    s = shop(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.down();
  });

  async function paidOrders(userId: number, count: number): Promise<{ id: number; finalAmount: number }[]> {
    const p = await s.product(1_000, [1_000]);
    await s.charge(userId, count * 1_000);
    const orders = [];
    for (let i = 0; i < count; i++) {
      const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
      await s.pay(userId, order.id).expect(201);
      orders.push(order);
    }
    return orders;
  }

  it('a receiver failing 2 of 3 requests still gets every paid order, one event id per order', async () => {
    receiver.decide = (_, attempt) => (attempt % 3 === 0 ? 200 : 503);
    const orders = await paidOrders(1, 8);
    await until(() => orders.every((o) => [...receiver.distinct().values()].some((r) => r.body.orderId === o.id)), 15_000);

    const exported = [...receiver.distinct().values()].filter((r) => orders.some((o) => o.id === r.body.orderId));
    expect(exported).toHaveLength(8);
    for (const order of orders) {
      const events = exported.filter((r) => r.body.orderId === order.id);
      expect(events).toHaveLength(1);
      const [{ idempotencyKey, body }] = events;
      expect(idempotencyKey).toBe(body.eventId);
      expect(body).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        eventType: 'ORDER_PAID',
        orderId: order.id,
        userId: 1,
        originalAmount: 1_000,
        discountAmount: 0,
        finalAmount: 1_000,
        items: [expect.objectContaining({ quantity: 1, unitPrice: 1_000 })],
        paymentId: expect.any(Number),
        paymentMethod: 'BALANCE',
        occurredAt: expect.any(String),
      });
      // Every attempt for one event carried the same id: the receiver saw exactly 3 tries.
      expect(receiver.accepted.filter((r) => r.body.orderId === order.id)).toHaveLength(1);
    }
  });

  it('a receiver down for a while, then up, loses nothing', async () => {
    receiver.decide = () => 200;
    await receiver.down();
    const orders = await paidOrders(2, 5);
    const cancelled = (await s.order(2, [{ productOptionId: (await s.product(500, [3])).options[0].id, quantity: 1 }]).expect(201)).body;
    await t.http().post(`/orders/${cancelled.id}/cancel`).set(bearer(t.token(2))).expect(200);
    await new Promise((r) => setTimeout(r, 1_500));
    const [{ pending }] = await t.db.query(
      `SELECT COUNT(*) AS pending FROM outbox_events WHERE consumer = 'data-platform-export' AND status = 'PENDING' AND attempts > 1`,
    );
    expect(pending).toBeGreaterThan(0);

    await receiver.up();
    await until(() => [...orders.map((o) => o.id), cancelled.id].every((id) => [...receiver.distinct().values()].some((r) => r.body.orderId === id)), 15_000);
    const types = [...receiver.distinct().values()].filter((r) => r.body.orderId === cancelled.id).map((r) => r.body.eventType);
    expect(types).toEqual(['ORDER_CANCELLED']);
  });
});

describe('dead letters (e2e)', () => {
  const receiver = new Receiver(() => 500);
  let t: TestApp;
  let s: ReturnType<typeof shop>;
  const admin = () => bearer(t.token(1, 'admin'));

  beforeAll(async () => {
    await receiver.up();
    t = await createTestApp({ env: { ...FAST_RETRIES, OUTBOX_MAX_ATTEMPTS: '3', DATA_PLATFORM_URL: receiver.url } });
    s = shop(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.down();
  });

  it('parks an export as DEAD after its last attempt, lists it, and delivers it on retry', async () => {
    const p = await s.product(1_000, [10]);
    await s.charge(5, 1_000);
    const order = (await s.order(5, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    await s.pay(5, order.id).expect(201);

    let dead: { id: number; consumer: string; attempts: number; lastError: string; aggregateId: number }[] = [];
    await until(async () => {
      dead = (await t.http().get('/admin/outbox?status=DEAD').set(admin()).expect(200)).body.items;
      return dead.length > 0;
    }, 10_000);
    expect(dead).toEqual([expect.objectContaining({ consumer: 'data-platform-export', aggregateId: order.id, attempts: 3, lastError: expect.stringContaining('500') })]);
    expect(receiver.requests).toBe(3);
    // The other consumers of the same event were not held back by the failing one.
    const delivered = await t.db.query(
      `SELECT consumer FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'order.processed' AND status = 'DELIVERED' ORDER BY consumer`,
      [order.id],
    );
    expect(delivered).toEqual([{ consumer: 'order-completed-push' }, { consumer: 'sales-ranking' }]);
    // Dead-lettering raised an alert for the operator, in the same transaction.
    const [alert] = await t.db.query(`SELECT payload FROM outbox_events WHERE event_type = 'alert.raised' AND aggregate_id = $1`, [order.id]);
    expect(alert.payload).toMatchObject({ alert: 'OUTBOX_DEAD_LETTER', severity: 'warning', orderId: order.id, message: expect.stringContaining(`/admin/outbox/${dead[0].id}/retry`) });

    receiver.decide = () => 200;
    const retried = await t.http().post(`/admin/outbox/${dead[0].id}/retry`).set(admin()).expect(200);
    expect(retried.body).toMatchObject({ id: dead[0].id, status: 'PENDING', attempts: 0 });
    await until(() => receiver.accepted.some((r) => r.body.orderId === order.id), 5_000);
    const again = await t.http().post(`/admin/outbox/${dead[0].id}/retry`).set(admin());
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'OUTBOX_EVENT_NOT_DEAD' });
    expect((await t.http().post('/admin/outbox/99999999/retry').set(admin()).expect(404)).body.code).toBe('OUTBOX_EVENT_NOT_FOUND');
    await t.http().get('/admin/outbox').set(bearer(t.token(5))).expect(403);
    expect((await t.http().get('/admin/outbox?status=LOST').set(admin()).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
