import { readFileSync } from 'node:fs';
import type { OneStatement } from '../../src/common/database/one-statement';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { Transitions, movesInto } from '../../src/common/domain/status-transitions';
import { OrderRefundStore } from '../../src/order/application/ports/order-refund-store.port';
import { OrderStore } from '../../src/order/application/ports/order-store.port';
import { ORDER_TRANSITIONS } from '../../src/order/domain/order-status';
import { PaymentStore } from '../../src/payment/application/ports/payment-store.port';
import { PAYMENT_TRANSITIONS } from '../../src/payment/domain/payment-status';
import { RefundStore } from '../../src/refund/application/ports/refund-store.port';
import { REFUND_TRANSITIONS } from '../../src/refund/domain/refund-status';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Every statement of the order, payment and refund repositories that writes a status, held
 * against its domain's transition table: run from a row in each status there is, it moves the
 * row exactly from the statuses it is meant for, and those are statuses the table lets move there.
 */
interface Guard {
  statement: string;
  table: Transitions<string>;
  to: string;
  /** The statuses the statement is meant to move a row from. */
  from: string[];
  /** A row in `status`, ready for the statement; its id. */
  seed: (status: string) => Promise<number>;
  /** Runs the statement on the row; whether it says it moved it. */
  run: (id: number) => Promise<boolean>;
  read: (id: number) => Promise<string>;
}

/** The files whose status writes these guards cover, and how many each holds. */
const REPOSITORIES = {
  'src/order/infrastructure/order.repository.ts': 9,
  'src/order/infrastructure/order-refund.repository.ts': 1,
  'src/payment/infrastructure/payment.repository.ts': 7,
  'src/refund/infrastructure/refund.repository.ts': 2,
};

const PAID_STATUSES = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];
const ACCOUNT = { accountNumber: 'X1234567890', bankCode: '20', customerName: 'test', dueDate: new Date('2030-01-01T00:00:00Z') };

describe('status guards of the repositories hold the domain transition tables (e2e)', () => {
  let t: TestApp;
  let nextUser = 1;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  const one = async <T>(sql: string, params: unknown[]): Promise<T> => ((await t.db.query(sql, params)) as T[])[0];

  /** An order in `status` with one line of two units (fully refunded when REFUNDED), overdue when `overdue`. */
  async function order(status: string, { overdue = false, userId = nextUser++ } = {}): Promise<number> {
    const { id } = await one<{ id: number }>(
      `INSERT INTO orders (user_id, status, original_amount, discount_amount, final_amount, expires_at, paid_at, refunded_amount)
       VALUES ($1, $2::varchar, 2000, 0, 2000, now() + make_interval(secs => $3), CASE WHEN $2::varchar = ANY($4::varchar[]) THEN now() END,
               CASE WHEN $2::varchar = 'REFUNDED' THEN 2000 WHEN $2::varchar = 'PARTIALLY_REFUNDED' THEN 1000 ELSE 0 END)
       RETURNING id`,
      [userId, status, overdue ? -60 : 600, PAID_STATUSES],
    );
    const refunded = status === 'REFUNDED' ? 2 : status === 'PARTIALLY_REFUNDED' ? 1 : 0;
    await t.db.query(`INSERT INTO order_items (order_id, product_id, product_option_id, quantity, unit_price, refunded_quantity) VALUES ($1, 1, 1, 2, 1000, $2)`, [
      id,
      refunded,
    ]);
    return id;
  }

  /** A gateway attempt in `status`, of an order of its own (at most one attempt of an order is PROCESSING or COMPLETED). */
  async function payment(status: string): Promise<number> {
    const orderId = await order('PAYING');
    const { id } = await one<{ id: number }>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, payment_key, gateway_order_id, gateway_key, completed_at, virtual_account, deposit_due_at)
       VALUES ($1::bigint, 1, 2000, 'CARD', $2::varchar, 'pk-' || $1::text, 'order-' || $1::text, gen_random_uuid(), CASE WHEN $2::varchar = 'COMPLETED' THEN now() END,
               $3::jsonb, now() + interval '1 day') RETURNING id`,
      [orderId, status, JSON.stringify(ACCOUNT)],
    );
    return id;
  }

  async function refund(status: string): Promise<number> {
    const orderId = await order('PAID');
    const { id: paymentId } = await one<{ id: number }>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, completed_at) VALUES ($1, 1, 2000, 'BALANCE', 'COMPLETED', now()) RETURNING id`,
      [orderId],
    );
    const { id } = await one<{ id: number }>(
      `INSERT INTO refunds (order_id, payment_id, method, amount, reason, restock, status, completed_at)
       VALUES ($1, $2, 'BALANCE', 1000, 'test', true, $3::varchar, CASE WHEN $3::varchar = 'COMPLETED' THEN now() END) RETURNING id`,
      [orderId, paymentId, status],
    );
    return id;
  }

  const statusOf = (table: string) => async (id: number) => (await one<{ status: string }>(`SELECT status FROM ${table} WHERE id = $1`, [id])).status;
  const orderStatus = statusOf('orders');
  const orderOwner = async (id: number) => (await one<{ userId: number }>(`SELECT user_id AS "userId" FROM orders WHERE id = $1`, [id])).userId;

  /** Whether a one statement of the parts `build` adds committed (the part under test is checked to have moved the row). */
  async function committed(build: (statement: OneStatement) => void, answering = true): Promise<boolean> {
    const row = await t.app.get(UnitOfWork).runAsOneStatement(async (statement) => {
      build(statement);
      if (answering) statement.then('moved', 'SELECT true AS moved FROM checked', { returning: true });
      return true;
    });
    return row !== null;
  }

  const orders = () => t.app.get(OrderStore);
  const refundLines = () => t.app.get(OrderRefundStore);
  const payments = () => t.app.get(PaymentStore);
  const refunds = () => t.app.get(RefundStore);
  const onOrders = { table: ORDER_TRANSITIONS, seed: (s: string) => order(s), read: orderStatus };
  const onPayments = { table: PAYMENT_TRANSITIONS, seed: payment, read: statusOf('payments') };
  const onRefunds = { table: REFUND_TRANSITIONS, seed: refund, read: statusOf('refunds') };
  const guards: Guard[] = [
    { statement: 'OrderStore.claimForPayment → PAID', ...onOrders, to: 'PAID', from: ['PENDING'], run: async (id) => !!(await orders().claimForPayment(await orderOwner(id), id, 'PAID')) },
    { statement: 'OrderStore.claimForPayment → PAYING', ...onOrders, to: 'PAYING', from: ['PENDING'], run: async (id) => !!(await orders().claimForPayment(await orderOwner(id), id, 'PAYING')) },
    {
      statement: 'OrderStore.claimPart → PAID (one statement)',
      ...onOrders,
      to: 'PAID',
      from: ['PENDING'],
      run: async (id) => {
        const userId = await orderOwner(id);
        return committed((statement) => orders().claimPart(statement, userId, id, 'PAID', new Date()));
      },
    },
    {
      statement: 'OrderStore.claimPart → PAYING (one statement)',
      ...onOrders,
      to: 'PAYING',
      from: ['PENDING'],
      run: async (id) => {
        const userId = await orderOwner(id);
        return committed((statement) => orders().claimPart(statement, userId, id, 'PAYING', null));
      },
    },
    { statement: 'OrderStore.markPayingPaid', ...onOrders, to: 'PAID', from: ['PAYING', 'AWAITING_DEPOSIT'], run: async (id) => !!(await orders().markPayingPaid(id)) },
    {
      statement: 'OrderStore.markPaidPart (one statement)',
      ...onOrders,
      to: 'PAID',
      from: ['PAYING', 'AWAITING_DEPOSIT'],
      run: async (id) => {
        const userId = await orderOwner(id);
        return committed((statement) => orders().markPaidPart(statement, id, userId, new Date()));
      },
    },
    { statement: 'OrderStore.markAwaitingDeposit', ...onOrders, to: 'AWAITING_DEPOSIT', from: ['PAYING'], run: async (id) => !!(await orders().markAwaitingDeposit(id)) },
    {
      statement: 'OrderStore.closeAwaitingDeposit → CANCELLED',
      ...onOrders,
      to: 'CANCELLED',
      from: ['AWAITING_DEPOSIT'],
      run: async (id) => !!(await orders().closeAwaitingDeposit(id, 'CANCELLED')),
    },
    { statement: 'OrderStore.closeAwaitingDeposit → EXPIRED', ...onOrders, to: 'EXPIRED', from: ['AWAITING_DEPOSIT'], run: async (id) => !!(await orders().closeAwaitingDeposit(id, 'EXPIRED')) },
    { statement: 'OrderStore.releasePaying', ...onOrders, to: 'PENDING', from: ['PAYING'], run: async (id) => !!(await orders().releasePaying(id)) },
    { statement: 'OrderStore.cancelPending', ...onOrders, to: 'CANCELLED', from: ['PENDING'], run: async (id) => !!(await orders().cancelPending(await orderOwner(id), id)) },
    {
      statement: 'OrderStore.expireDue',
      ...onOrders,
      seed: (s) => order(s, { overdue: true }),
      to: 'EXPIRED',
      from: ['PENDING'],
      run: async (id) => (await orders().expireDue(1_000)).some((o) => Number(o.id) === id),
    },
    {
      statement: 'OrderRefundStore.recordRefund (every unit refunded)',
      ...onOrders,
      to: 'REFUNDED',
      from: ['PAID', 'PARTIALLY_REFUNDED'],
      seed: async (s) => {
        const id = await order(s);
        await t.db.query(`UPDATE order_items SET refunded_quantity = quantity WHERE order_id = $1`, [id]);
        return id;
      },
      run: async (id) => !!(await refundLines().recordRefund(id, 0)),
    },
    { statement: 'OrderRefundStore.recordRefund (units left)', ...onOrders, to: 'PARTIALLY_REFUNDED', from: ['PAID', 'PARTIALLY_REFUNDED'], run: async (id) => !!(await refundLines().recordRefund(id, 0)) },
    {
      statement: 'PaymentStore.completeGateway',
      ...onPayments,
      to: 'COMPLETED',
      from: ['PROCESSING', 'AWAITING_DEPOSIT'],
      run: async (id) => !!(await payments().completeGateway(id, { approvalNumber: '00000001', approvalKey: 'TXKEY', method: null, easyPayProvider: null })),
    },
    {
      statement: 'PaymentStore.completeGatewayPart (one statement)',
      ...onPayments,
      to: 'COMPLETED',
      from: ['PROCESSING', 'AWAITING_DEPOSIT'],
      run: (id) => committed((statement) => payments().completeGatewayPart(statement, id, { approvalNumber: '00000001', approvalKey: 'TXKEY', method: null, easyPayProvider: null }), false),
    },
    {
      statement: 'PaymentStore.awaitDeposit',
      ...onPayments,
      to: 'AWAITING_DEPOSIT',
      from: ['PROCESSING'],
      run: async (id) => !!(await payments().awaitDeposit(id, { virtualAccount: ACCOUNT, secret: 'secret', dueAt: new Date(Date.now() + 86_400_000) })),
    },
    { statement: 'PaymentStore.closeAwaiting → FAILED', ...onPayments, to: 'FAILED', from: ['AWAITING_DEPOSIT'], run: async (id) => !!(await payments().closeAwaiting(id, 'FAILED', 'EXPIRED', 'TXKEY')) },
    { statement: 'PaymentStore.closeAwaiting → CANCELLED', ...onPayments, to: 'CANCELLED', from: ['AWAITING_DEPOSIT'], run: async (id) => !!(await payments().closeAwaiting(id, 'CANCELLED', null, 'TXKEY')) },
    { statement: 'PaymentStore.failCard', ...onPayments, to: 'FAILED', from: ['PROCESSING'], run: async (id) => !!(await payments().failCard(id, 'TEST', false)) },
    { statement: 'PaymentStore.markCancelled', ...onPayments, to: 'CANCELLED', from: ['FAILED', 'CANCEL_FAILED'], run: async (id) => !!(await payments().markCancelled(id, null)) },
    { statement: 'PaymentStore.markCancelFailed', ...onPayments, to: 'CANCEL_FAILED', from: ['FAILED'], run: async (id) => !!(await payments().markCancelFailed(id)) },
    { statement: 'RefundStore.markCompleted', ...onRefunds, to: 'COMPLETED', from: ['PROCESSING'], run: async (id) => !!(await refunds().markCompleted(id, null)) },
    { statement: 'RefundStore.markCancelFailed', ...onRefunds, to: 'CANCEL_FAILED', from: ['PROCESSING'], run: (id) => refunds().markCancelFailed(id) },
  ];

  it('covers every statement that writes a status in those repositories', () => {
    for (const [file, count] of Object.entries(REPOSITORIES)) {
      const writes = readFileSync(file, 'utf8').match(/UPDATE \w+(?: \w+)? SET (?:(?:(?!WHERE)[^`])*?,\s*)?status =/g) ?? [];
      expect({ file, writes: writes.length }).toEqual({ file, writes: count });
    }
    // claimForPayment, claimPart, recordRefund, closeAwaitingDeposit and closeAwaiting each write
    // one of two statuses from one statement, so each is held twice.
    expect(guards).toHaveLength(Object.values(REPOSITORIES).reduce((a, b) => a + b, 0) + 5);
  });

  it.each(guards.map((g) => [g.statement, g] as const))('%s moves a row from exactly the statuses its table allows', async (_, guard) => {
    expect(guard.from.every((s) => movesInto(guard.table, guard.to).includes(s))).toBe(true);
    const moves: Record<string, boolean> = {};
    for (const status of Object.keys(guard.table)) {
      const id = await guard.seed(status);
      const moved = await guard.run(id);
      moves[status] = moved;
      expect({ statement: guard.statement, status, after: await guard.read(id) }).toEqual({ statement: guard.statement, status, after: moved ? guard.to : status });
    }
    expect({ statement: guard.statement, moves }).toEqual({
      statement: guard.statement,
      moves: Object.fromEntries(Object.keys(guard.table).map((s) => [s, guard.from.includes(s)])),
    });
  });

  it("the one-statement order parts move only the named user's order: another user's id moves nothing", async () => {
    const pending = await order('PENDING');
    const paying = await order('PAYING');
    const stranger = nextUser++;

    expect(await committed((statement) => orders().claimPart(statement, stranger, pending, 'PAID', new Date()))).toBe(false);
    expect(await committed((statement) => orders().markPaidPart(statement, paying, stranger, new Date()))).toBe(false);

    expect({ pending: await orderStatus(pending), paying: await orderStatus(paying) }).toEqual({ pending: 'PENDING', paying: 'PAYING' });
  });
});
