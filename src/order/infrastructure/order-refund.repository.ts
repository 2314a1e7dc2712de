import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import { OrderRefundStore, RefundLineRecord, UnitChange } from '../application/ports/order-refund-store.port';
import type { OrderRecord } from '../application/ports/order-store.port';

const ORDER = `id, user_id AS "userId", status, user_coupon_id AS "userCouponId", original_amount AS "originalAmount",
  discount_amount AS "discountAmount", final_amount AS "finalAmount", refunded_amount AS "refundedAmount",
  created_at AS "createdAt", expires_at AS "expiresAt", paid_at AS "paidAt"`;

/** The refund side of the orders and order_items tables. */
@Injectable()
export class OrderRefundRepository implements OrderRefundStore {
  constructor(private readonly sql: Sql) {}

  async exists(orderId: number): Promise<boolean> {
    return (await this.sql.one(`SELECT 1 FROM orders WHERE id = $1`, [orderId])) !== null;
  }

  /** The order, locked until the caller's transaction ends, so that refunds of one order take turns. */
  async lock(orderId: number): Promise<OrderRecord | null> {
    return this.sql.one<OrderRecord>(`SELECT ${ORDER} FROM orders WHERE id = $1 FOR UPDATE`, [orderId]);
  }

  async lines(orderId: number): Promise<RefundLineRecord[]> {
    return this.sql.rows<RefundLineRecord>(
      `SELECT product_id AS "productId", product_option_id AS "productOptionId", unit_price AS "unitPrice", quantity,
              refunded_quantity AS "refundedQuantity", refunding_quantity AS "refundingQuantity", refunded_amount AS "refundedAmount"
       FROM order_items WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
  }

  /**
   * Holds units for a refund, in one guarded statement: every line must still have them (CHECK
   * and WHERE), else nothing changes. False when one line did not.
   */
  async hold(orderId: number, changes: UnitChange[]): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE order_items i SET refunding_quantity = i.refunding_quantity + c.quantity, refunded_amount = i.refunded_amount + c.amount
       FROM unnest($2::bigint[], $3::int[], $4::bigint[]) AS c (option_id, quantity, amount)
       WHERE i.order_id = $1 AND i.product_option_id = c.option_id
         AND i.refunded_quantity + i.refunding_quantity + c.quantity <= i.quantity
       RETURNING i.id`,
      [orderId, ...columns(changes)],
    );
    return rows.length === changes.length;
  }

  /** Held units become refunded ones (their won were counted when they were held). */
  async settle(orderId: number, changes: UnitChange[]): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE order_items i SET refunding_quantity = i.refunding_quantity - c.quantity, refunded_quantity = i.refunded_quantity + c.quantity
       FROM unnest($2::bigint[], $3::int[], $4::bigint[]) AS c (option_id, quantity, amount)
       WHERE i.order_id = $1 AND i.product_option_id = c.option_id AND i.refunding_quantity >= c.quantity
       RETURNING i.id`,
      [orderId, ...columns(changes)],
    );
    return rows.length === changes.length;
  }

  /** A refund that failed gives its units and won back to the lines, refundable again. */
  async release(orderId: number, changes: UnitChange[]): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE order_items i SET refunding_quantity = i.refunding_quantity - c.quantity, refunded_amount = i.refunded_amount - c.amount
       FROM unnest($2::bigint[], $3::int[], $4::bigint[]) AS c (option_id, quantity, amount)
       WHERE i.order_id = $1 AND i.product_option_id = c.option_id AND i.refunding_quantity >= c.quantity
       RETURNING i.id`,
      [orderId, ...columns(changes)],
    );
    return rows.length === changes.length;
  }

  /**
   * Records a completed refund on the order: refundedAmount grows, and the status follows what is
   * left (REFUNDED when every unit is). Returns the order as it is now.
   */
  async recordRefund(orderId: number, amount: number): Promise<OrderRecord | null> {
    return this.sql.one<OrderRecord>(
      `UPDATE orders o SET refunded_amount = o.refunded_amount + $2,
              status = CASE WHEN o.refunded_amount + $2 = o.final_amount
                              OR NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.refunded_quantity < i.quantity)
                            THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END
       WHERE o.id = $1 AND o.status IN ('PAID', 'PARTIALLY_REFUNDED') RETURNING ${ORDER}`,
      [orderId, amount],
    );
  }
}

function columns(changes: UnitChange[]): [number[], number[], number[]] {
  return [changes.map((c) => c.productOptionId), changes.map((c) => c.quantity), changes.map((c) => c.amount)];
}
