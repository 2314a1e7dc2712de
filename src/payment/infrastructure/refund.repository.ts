import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';

export type RefundStatus = 'PROCESSING' | 'COMPLETED' | 'CANCEL_FAILED';

export interface RefundItemRow {
  productOptionId: number;
  quantity: number;
  amount: number;
}

/** A refund as clients see it (API.md `Refund`). */
export interface RefundRow {
  id: number;
  orderId: number;
  amount: number;
  reason: string;
  restock: boolean;
  items: RefundItemRow[];
  status: RefundStatus;
  createdAt: Date;
  completedAt: Date | null;
}

export interface NewRefund {
  orderId: number;
  paymentId: number;
  method: 'BALANCE' | 'CARD';
  reason: string;
  restock: boolean;
  items: (RefundItemRow & { productId: number })[];
  /** The requester's Idempotency-Key, scoped to the requester; null without one. */
  requestKey: string | null;
}

const SELECT = `SELECT r.id, r.order_id AS "orderId", r.amount, r.reason, r.restock, r.status, r.created_at AS "createdAt",
         r.completed_at AS "completedAt",
         (SELECT json_agg(json_build_object('productOptionId', i.product_option_id, 'quantity', i.quantity, 'amount', i.amount)
                          ORDER BY i.product_option_id)
          FROM refund_items i WHERE i.refund_id = r.id) AS items
  FROM refunds r`;

@Injectable()
export class RefundRepository {
  constructor(private readonly sql: Sql) {}

  /** A PROCESSING refund with its items, in one statement. */
  async insert(refund: NewRefund): Promise<RefundRow> {
    const amount = refund.items.reduce((sum, i) => sum + i.amount, 0);
    const [{ id }] = await this.sql.rows<{ id: number }>(
      `WITH refund AS (
         INSERT INTO refunds (order_id, payment_id, method, amount, reason, restock, status, request_key)
         VALUES ($1, $2, $3, $4, $5, $6, 'PROCESSING', $11) RETURNING id),
       items AS (
         INSERT INTO refund_items (refund_id, product_id, product_option_id, quantity, amount)
         SELECT refund.id, i.* FROM refund, unnest($7::bigint[], $8::bigint[], $9::int[], $10::bigint[]) AS i)
       SELECT id FROM refund`,
      [
        refund.orderId,
        refund.paymentId,
        refund.method,
        amount,
        refund.reason,
        refund.restock,
        refund.items.map((i) => i.productId),
        refund.items.map((i) => i.productOptionId),
        refund.items.map((i) => i.quantity),
        refund.items.map((i) => i.amount),
        refund.requestKey,
      ],
    );
    return (await this.find(id))!;
  }

  /** The refund of the order requested with that key, if any. */
  async findByRequestKey(orderId: number, requestKey: string): Promise<RefundRow | null> {
    return this.sql.one<RefundRow>(`${SELECT} WHERE r.order_id = $1 AND r.request_key = $2`, [orderId, requestKey]);
  }

  /** PROCESSING → COMPLETED; false when someone else settled it first. */
  async markCompleted(refundId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE refunds SET status = 'COMPLETED', completed_at = now(), ended_at = now() WHERE id = $1 AND status = 'PROCESSING' RETURNING id`,
      [refundId],
    );
    return rows.length === 1;
  }

  /** PROCESSING → CANCEL_FAILED; false when it was no longer PROCESSING. */
  async markCancelFailed(refundId: number): Promise<boolean> {
    const rows = await this.sql.rows(`UPDATE refunds SET status = 'CANCEL_FAILED', ended_at = now() WHERE id = $1 AND status = 'PROCESSING' RETURNING id`, [
      refundId,
    ]);
    return rows.length === 1;
  }

  async find(refundId: number): Promise<RefundRow | null> {
    return this.sql.one<RefundRow>(`${SELECT} WHERE r.id = $1`, [refundId]);
  }

  /** The refund's items with their products, for what a completion gives back. */
  async itemsOf(refundId: number): Promise<(RefundItemRow & { productId: number })[]> {
    return this.sql.rows(
      `SELECT product_id AS "productId", product_option_id AS "productOptionId", quantity, amount
       FROM refund_items WHERE refund_id = $1 ORDER BY product_option_id`,
      [refundId],
    );
  }

  /** Every refund of an order, oldest first. */
  async listForOrder(orderId: number): Promise<RefundRow[]> {
    return this.sql.rows<RefundRow>(`${SELECT} WHERE r.order_id = $1 ORDER BY r.id`, [orderId]);
  }
}
