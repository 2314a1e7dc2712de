import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../src/common/database/one-statement';
import { OutboxEntry, OutboxWriter } from '../../src/common/events/outbox/outbox.writer';
import { metricValue } from '../support/gateway-books';
import { concurrently } from '../support/http';
import { shop } from '../support/shop';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A balance payment of an order without a coupon, asked without an Idempotency-Key, is written as
 * one statement (PayWithBalanceUseCase.payAtOnce): every part or none, and when a part's check
 * fails the transaction way answers, with the same error and nothing left behind.
 */
describe('a balance payment as one statement (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' } });
    s = shop(t);
  });
  afterAll(() => t.close());

  /** Balance payments paid so far, by the way they were written. */
  async function ways(): Promise<{ one: number; transaction: number }> {
    return { one: await metricValue(t, 'balance_payments_paid_total', { way: 'one_statement' }), transaction: await metricValue(t, 'balance_payments_paid_total', { way: 'transaction' }) };
  }

  async function placed(userId: number, stocks: number[], quantities: number[], userCouponId?: number) {
    const p = await s.product(1_000, stocks);
    const items = quantities.map((quantity, i) => ({ productOptionId: p.options[i].id, quantity }));
    return (await s.order(userId, items, userCouponId).expect(201)).body as { id: number; finalAmount: number };
  }

  it('pays with one statement: the order PAID, the stock sold, the debit and its log, one payment, order.processed naming it', async () => {
    await s.charge(1, 10_000);
    const order = await placed(1, [5, 5], [2, 1]);
    const before = await ways();

    const res = await s.pay(1, order.id).expect(201);

    expect(await ways()).toEqual({ one: before.one + 1, transaction: before.transaction });
    expect(res.body).toMatchObject({ orderId: order.id, amount: 3_000, method: 'BALANCE', status: 'COMPLETED' });
    expect(await s.state(1, order.id)).toMatchObject({
      order: { status: 'PAID', paid: true },
      balance: 7_000,
      logs: [{ type: 'USE', amount: 3_000 }],
      payments: 1,
      options: [expect.objectContaining({ onHand: 3, reserved: 0 }), expect.objectContaining({ onHand: 4, reserved: 0 })],
      outbox: ['data-platform-export', 'order-completed-push', 'sales-ranking'],
    });
    // The statement read the order's figures itself: the event carries them as the order holds them.
    const [{ items }] = await t.db.query(
      `SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id, 'quantity', quantity, 'unitPrice', unit_price) ORDER BY id) AS items
       FROM order_items WHERE order_id = $1`,
      [order.id],
    );
    const { payloads, events, paidAt } = await s.orderPaidEvents(order.id);
    expect(events).toBe(1);
    expect(payloads).toHaveLength(3);
    for (const { eventId, ...payload } of payloads) {
      expect(eventId).toEqual(expect.any(String));
      expect(payload).toEqual({
        eventType: 'ORDER_PAID', orderId: order.id, userId: 1, originalAmount: 3_000, discountAmount: 0, finalAmount: 3_000,
        items, paymentId: res.body.id, paymentMethod: 'BALANCE', occurredAt: paidAt,
      });
    }
  });

  it('pays a free order (0 won) with one statement: PAID, the stock sold, one payment of 0, no debit and no USE log line', async () => {
    await s.charge(3, 1_000);
    const p = await s.product(0, [3]);
    const order = (await s.order(3, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body as { id: number; finalAmount: number };
    expect(order.finalAmount).toBe(0);
    const before = await ways();

    const res = await s.pay(3, order.id).expect(201);

    expect(await ways()).toEqual({ one: before.one + 1, transaction: before.transaction });
    expect(res.body).toMatchObject({ orderId: order.id, amount: 0, method: 'BALANCE', status: 'COMPLETED' });
    expect(await s.state(3, order.id)).toMatchObject({ order: { status: 'PAID' }, balance: 1_000, logs: [], payments: 1, options: [expect.objectContaining({ onHand: 1, reserved: 0 })] });
  });

  it('goes the transaction way with an Idempotency-Key (its record commits with the payment) and with a coupon (its Redis claim)', async () => {
    await s.charge(2, 10_000);
    const keyed = await placed(2, [5], [1]);
    const userCouponId = await s.issue(2, (await s.coupon({ discountType: 'FIXED', discountValue: 500 })).id);
    const withCoupon = await placed(2, [5], [1], userCouponId);
    const before = await ways();

    await s.pay(2, keyed.id, { 'Idempotency-Key': 'one-statement-1' }).expect(201);
    await s.pay(2, withCoupon.id).expect(201);

    expect(await ways()).toEqual({ one: before.one, transaction: before.transaction + 2 });
    expect(await s.state(2, withCoupon.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED', balance: 10_000 - 1_000 - 500, payments: 1 });
  });

  it.each([
    ['the balance falls short', 402, 'INSUFFICIENT_BALANCE'],
    ['the reserved stock is gone', 409, 'INSUFFICIENT_STOCK'],
    ['the order was paid already', 409, 'ORDER_NOT_PAYABLE'],
  ])('when %s, nothing of the statement is written and the answer is %d %s', async (what, status, code) => {
    const userId = 10 + ['the balance falls short', 'the reserved stock is gone', 'the order was paid already'].indexOf(what);
    await s.charge(userId, what === 'the balance falls short' ? 500 : 10_000);
    const order = await placed(userId, [5, 5], [2, 1]);
    if (what === 'the order was paid already') await s.pay(userId, order.id).expect(201);
    if (what === 'the reserved stock is gone') {
      await t.db.query('UPDATE product_options SET reserved = 0 WHERE id IN (SELECT product_option_id FROM order_items WHERE order_id = $1 ORDER BY id DESC LIMIT 1)', [order.id]);
    }
    const before = await s.state(userId, order.id);
    const paid = await ways();

    const res = await s.pay(userId, order.id).expect(status);

    expect(res.body.code).toBe(code);
    expect(await s.state(userId, order.id)).toEqual(before);
    expect(await ways()).toEqual(paid);
  });

  it('8 orders of one option, each paid twice at once: every order paid once, each unit sold once, each won debited once', async () => {
    const p = await s.product(1_000, [8]);
    const users = Array.from({ length: 8 }, (_, i) => 100 + i);
    const orders = [];
    for (const userId of users) {
      await s.charge(userId, 1_000);
      orders.push({ userId, orderId: (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body.id as number });
    }
    // Twice each, at once: one of the two requests of an order pays it.
    const both = [...orders, ...orders];
    const answers = await concurrently(both.length, (i) => s.pay(both[i].userId, both[i].orderId));

    expect(answers.filter((r) => r.status === 201)).toHaveLength(8);
    expect(answers.filter((r) => r.status !== 201).every((r) => ['ORDER_NOT_PAYABLE', 'PAYMENT_IN_PROGRESS'].includes(r.body.code))).toBe(true);
    const [option] = await t.db.query('SELECT on_hand AS "onHand", reserved FROM product_options WHERE id = $1', [p.options[0].id]);
    expect(option).toEqual({ onHand: 0, reserved: 0 });
    const [{ payments, debited }] = await t.db.query(
      `SELECT count(*)::int AS payments, (SELECT COALESCE(sum(amount), 0)::int FROM balance_logs WHERE type = 'USE' AND user_id = ANY($1)) AS debited
       FROM payments WHERE user_id = ANY($1) AND status = 'COMPLETED'`,
      [users],
    );
    expect({ payments, debited }).toEqual({ payments: 8, debited: 8_000 });
  });
});

/** The outbox part of the one statement fails when it runs, after every check held and the payment row was written. */
@Injectable()
class FailingOutboxPart extends OutboxWriter {
  override addTo(statement: OneStatement, entries: OutboxEntry[], patch: string): string[] {
    return super.addTo(statement, entries, `${patch} || jsonb_build_object('fault', (SELECT id / 0 FROM payment_written))`);
  }
}

describe('a balance payment as one statement whose last part fails (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' }, override: (b) => b.overrideProvider(OutboxWriter).useClass(FailingOutboxPart) });
    s = shop(t);
  });
  afterAll(() => t.close());

  it('writes nothing: the order, its stock, the balance and its logs as before, no payment, no outbox row; the client gets 500', async () => {
    const p = await s.product(1_000, [5]);
    await s.charge(1, 10_000);
    const order = (await s.order(1, [{ productOptionId: p.options[0].id, quantity: 2 }]).expect(201)).body;
    const before = await s.state(1, order.id);

    const res = await s.pay(1, order.id).expect(500);

    expect(res.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR' });
    expect(await s.state(1, order.id)).toEqual(before);
    expect(before).toMatchObject({ order: { status: 'PENDING' }, balance: 10_000, payments: 0, outbox: [], options: [expect.objectContaining({ onHand: 5, reserved: 2 })] });
  });
});
