import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
import { Sql } from '../../common/database/sql';
import { OrderAmounts, PricedItem } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';
import type { OrderInStatement } from '../application/events/order-in-statement';
import { OrderItemRecord, OrderRecord, OrderStore, OrderWithItems } from '../application/ports/order-store.port';

const orderColumns = (t = 'orders') => `${t}.id, ${t}.user_id AS "userId", ${t}.status, ${t}.user_coupon_id AS "userCouponId",
  ${t}.original_amount AS "originalAmount", ${t}.discount_amount AS "discountAmount", ${t}.final_amount AS "finalAmount",
  ${t}.refunded_amount AS "refundedAmount",
  ${t}.created_at AS "createdAt", ${t}.expires_at AS "expiresAt", ${t}.paid_at AS "paidAt"`;
const ORDER_COLUMNS = orderColumns();
/** What a one statement's order part returns for the statement's other parts (inStatement). */
const IN_STATEMENT_COLUMNS = 'id, user_id, user_coupon_id, original_amount, discount_amount, final_amount';
/** The items of the order row `t`, as one JSON array, in the order's own statement. */
const ITEMS_OF = (t: string) => `(SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id,
  'quantity', quantity, 'unitPrice', unit_price) ORDER BY id) FROM order_items WHERE order_id = ${t}.id)`;

@Injectable()
export class OrderRepository implements OrderStore {
  constructor(private readonly sql: Sql) {}

  async insert(userId: number, userCouponId: number | null, amounts: OrderAmounts, ttlSeconds: number): Promise<OrderRecord> {
    const [order] = await this.sql.rows<OrderRecord>(
      `INSERT INTO orders (user_id, status, user_coupon_id, original_amount, discount_amount, final_amount, expires_at)
       VALUES ($1, 'PENDING', $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING ${ORDER_COLUMNS}`,
      [userId, userCouponId, amounts.originalAmount, amounts.discountAmount, amounts.finalAmount, ttlSeconds],
    );
    return order;
  }

  /**
   * Until the transaction ends, no other order of this user can be placed: what countOpen says
   * then stays true until this one commits. A lock of the user's own, so nobody else waits.
   */
  async lockOrderPlacement(userId: number): Promise<void> {
    await this.sql.rows(`SELECT pg_advisory_xact_lock(hashtextextended('order-placement:' || $1::text, 0))`, [userId]);
  }

  /** PENDING orders that can still be paid, and PAYING ones (index orders_user_open). */
  async countOpen(userId: number): Promise<number> {
    const row = await this.sql.one<{ open: number }>(
      `SELECT count(*)::int AS open FROM orders
       WHERE user_id = $1 AND status IN ('PENDING', 'PAYING') AND (status = 'PAYING' OR expires_at > now())`,
      [userId],
    );
    return row?.open ?? 0;
  }

  async insertItems(orderId: number, items: PricedItem[]): Promise<void> {
    await this.sql.rows(
      `INSERT INTO order_items (order_id, product_id, product_option_id, quantity, unit_price)
       SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::int[], $5::bigint[])`,
      [orderId, items.map((i) => i.productId), items.map((i) => i.productOptionId), items.map((i) => i.quantity), items.map((i) => i.unitPrice)],
    );
  }

  async findForUser(userId: number, orderId: number): Promise<OrderWithItems | null> {
    const order = await this.sql.one<OrderRecord>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND user_id = $2`, [orderId, userId]);
    return order ? (await this.withItems([order]))[0] : null;
  }

  async listForUser(userId: number, status: OrderStatus | undefined, page: number, size: number): Promise<{ items: OrderWithItems[]; total: number }> {
    const filter = 'user_id = $1 AND ($2::varchar IS NULL OR status = $2)';
    const [orders, [{ total }]] = await Promise.all([
      this.sql.rows<OrderRecord>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE ${filter} ORDER BY id DESC LIMIT $3 OFFSET $4`, [
        userId,
        status ?? null,
        size,
        (page - 1) * size,
      ]),
      this.sql.rows<{ total: number }>(`SELECT COUNT(*) AS total FROM orders WHERE ${filter}`, [userId, status ?? null]),
    ]);
    return { items: await this.withItems(orders), total };
  }

  /** PENDING → CANCELLED as one guarded statement; null when the order is not (or no longer) PENDING. */
  async cancelPending(userId: number, orderId: number): Promise<OrderRecord | null> {
    return this.sql.one<OrderRecord>(
      `UPDATE orders SET status = 'CANCELLED', closed_at = now()
       WHERE id = $1 AND user_id = $2 AND status = 'PENDING' RETURNING ${ORDER_COLUMNS}`,
      [orderId, userId],
    );
  }

  async lockForUpdate(orderId: number): Promise<void> {
    await this.sql.rows(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [orderId]);
  }

  async isOwnedBy(userId: number, orderId: number): Promise<boolean> {
    return (await this.sql.one(`SELECT 1 FROM orders WHERE id = $1 AND user_id = $2`, [orderId, userId])) !== null;
  }

  /**
   * The database guard against paying twice: PENDING → `to` (PAYING while a card payment is with
   * the gateway, PAID straight away inside a balance payment's transaction) in one statement that
   * also checks the owner and the expiry, and returns the order with its items (one round trip
   * inside the payment transaction). Whatever a lock did or did not do, only one caller can win.
   */
  async claimForPayment(userId: number, orderId: number, to: 'PAYING' | 'PAID'): Promise<OrderWithItems | null> {
    return this.sql.one<OrderWithItems>(
      `WITH claimed AS (
         UPDATE orders SET status = $3::varchar, paid_at = CASE WHEN $3::varchar = 'PAID' THEN now() END
         WHERE id = $1 AND user_id = $2 AND status = 'PENDING' AND expires_at > now() RETURNING *)
       SELECT ${orderColumns('claimed')},
              ${ITEMS_OF('claimed')} AS items
       FROM claimed`,
      [orderId, userId, to],
    );
  }

  claimPart(statement: OneStatement, userId: number, orderId: number, to: 'PAYING' | 'PAID', paidAt: Date | null): OrderInStatement {
    // The status as a literal, one text per target: a parameter made every balance payment cost
    // Postgres measurably more (bench/README, issue 21, "the balance path between the two sessions").
    const status = to === 'PAID' ? `'PAID'` : `'PAYING'`;
    const id = statement.param(orderId, 'bigint');
    statement.guard(
      'order_claimed',
      `UPDATE orders SET status = ${status}, paid_at = ${statement.param(paidAt, 'timestamptz')}
       WHERE id = ${id} AND user_id = ${statement.param(userId, 'bigint')} AND status = 'PENDING' AND expires_at > now()
       RETURNING ${IN_STATEMENT_COLUMNS}`,
      '(SELECT count(*) FROM order_claimed) = 1',
    );
    return this.inStatement(statement, 'order_claimed', orderId, userId, id);
  }

  /** PAYING → PENDING (a card payment ended without a charge); the order with its items, or null when it was not PAYING. */
  async releasePaying(orderId: number): Promise<OrderWithItems | null> {
    const order = await this.sql.one<OrderRecord>(`UPDATE orders SET status = 'PENDING' WHERE id = $1 AND status = 'PAYING' RETURNING ${ORDER_COLUMNS}`, [orderId]);
    return order ? (await this.withItems([order]))[0] : null;
  }

  /** PAYING → PAID in one statement that returns the order with its items; null when it was not PAYING. */
  async markPayingPaid(orderId: number): Promise<OrderWithItems | null> {
    return this.sql.one<OrderWithItems>(
      `WITH paid AS (UPDATE orders SET status = 'PAID', paid_at = now() WHERE id = $1 AND status IN ('PAYING', 'AWAITING_DEPOSIT') RETURNING *)
       SELECT ${orderColumns('paid')},
              ${ITEMS_OF('paid')} AS items
       FROM paid`,
      [orderId],
    );
  }

  markPaidPart(statement: OneStatement, orderId: number, userId: number, paidAt: Date): OrderInStatement {
    const id = statement.param(orderId, 'bigint');
    statement.guard(
      'order_paid',
      `UPDATE orders SET status = 'PAID', paid_at = ${statement.param(paidAt, 'timestamptz')}
       WHERE id = ${id} AND user_id = ${statement.param(userId, 'bigint')} AND status IN ('PAYING', 'AWAITING_DEPOSIT')
       RETURNING ${IN_STATEMENT_COLUMNS}`,
      '(SELECT count(*) FROM order_paid) = 1',
    );
    return this.inStatement(statement, 'order_paid', orderId, userId, id);
  }

  /**
   * The order that the part `part` changed, as SQL over it, and its lines as a part of their own
   * (read once, however many parts join them): what the statement's other parts take its figures
   * from. The lines need no guard of their own: they never change once the order is placed, and
   * the order's part is checked first. An order names each option once (placeOrder's rule).
   */
  private inStatement(statement: OneStatement, part: string, orderId: number, userId: number, id: string): OrderInStatement {
    statement.guard('order_lines', `SELECT product_option_id, quantity FROM order_items WHERE order_id = ${id}`);
    return {
      orderId,
      userId,
      userCouponIdSql: `(SELECT user_coupon_id FROM ${part})`,
      amountSql: `(SELECT final_amount FROM ${part})`,
      linesPart: 'order_lines',
      snapshotSql: `(SELECT jsonb_build_object('userId', user_id, 'originalAmount', original_amount, 'discountAmount', discount_amount,
        'finalAmount', final_amount, 'items', ${ITEMS_OF(part)}) FROM ${part})`,
    };
  }

  async markAwaitingDeposit(orderId: number): Promise<OrderRecord | null> {
    return this.sql.one<OrderRecord>(`UPDATE orders SET status = 'AWAITING_DEPOSIT' WHERE id = $1 AND status = 'PAYING' RETURNING ${ORDER_COLUMNS}`, [orderId]);
  }

  async closeAwaitingDeposit(orderId: number, to: 'CANCELLED' | 'EXPIRED'): Promise<OrderRecord | null> {
    return this.sql.one<OrderRecord>(
      `UPDATE orders SET status = $2::varchar, closed_at = now() WHERE id = $1 AND status = 'AWAITING_DEPOSIT' RETURNING ${ORDER_COLUMNS}`,
      [orderId, to],
    );
  }

  /**
   * Marks up to `limit` overdue PENDING orders EXPIRED. SKIP LOCKED lets several instances
   * sweep side by side, each taking different orders, and skips an order being paid right now.
   */
  async expireDue(limit: number): Promise<OrderRecord[]> {
    return this.sql.rows<OrderRecord>(
      `WITH due AS (
         SELECT id FROM orders WHERE status = 'PENDING' AND expires_at <= now()
         ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE orders o SET status = 'EXPIRED', closed_at = now() FROM due WHERE o.id = due.id
       RETURNING ${orderColumns('o')}`,
      [limit],
    );
  }

  async withItems(orders: OrderRecord[]): Promise<OrderWithItems[]> {
    if (orders.length === 0) return [];
    const items = await this.sql.rows<OrderItemRecord & { orderId: number }>(
      `SELECT order_id AS "orderId", product_id AS "productId", product_option_id AS "productOptionId", quantity, unit_price AS "unitPrice"
       FROM order_items WHERE order_id = ANY($1::bigint[]) ORDER BY id`,
      [orders.map((o) => o.id)],
    );
    const byOrder = new Map<number, OrderItemRecord[]>();
    for (const { orderId, ...item } of items) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), item]);
    return orders.map((o) => ({ ...o, items: byOrder.get(o.id) ?? [] }));
  }
}
