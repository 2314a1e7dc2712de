import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import type { Refund, RefundItem, RefundMethod } from '../domain/refund';
import { GatewayRefund, NewRefund, RefundStore } from '../application/ports/refund-store.port';

const SELECT = `SELECT r.id, r.order_id AS "orderId", r.amount, r.reason, r.restock, r.source, r.status, r.created_at AS "createdAt",
         r.completed_at AS "completedAt",
         COALESCE((SELECT json_agg(json_build_object('productOptionId', i.product_option_id, 'quantity', i.quantity, 'amount', i.amount)
                                   ORDER BY i.product_option_id)
                   FROM refund_items i WHERE i.refund_id = r.id), '[]'::json) AS items
  FROM refunds r`;

@Injectable()
export class RefundRepository implements RefundStore {
  constructor(private readonly sql: Sql) {}

  async insert(refund: NewRefund): Promise<Refund> {
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

  async findByRequestKey(orderId: number, requestKey: string): Promise<Refund | null> {
    return this.sql.one<Refund>(`${SELECT} WHERE r.order_id = $1 AND r.request_key = $2`, [orderId, requestKey]);
  }

  async markCompleted(refundId: number, transactionKey: string | null): Promise<RefundMethod | null> {
    const row = await this.sql.one<{ method: RefundMethod }>(
      `UPDATE refunds SET status = 'COMPLETED', completed_at = now(), ended_at = now(), transaction_key = $2 WHERE id = $1 AND status = 'PROCESSING' RETURNING method`,
      [refundId, transactionKey],
    );
    return row?.method ?? null;
  }

  async insertGatewayRefund(refund: GatewayRefund): Promise<Refund | null> {
    const row = await this.sql.one<{ id: number }>(
      `INSERT INTO refunds (order_id, payment_id, method, amount, reason, restock, status, source, transaction_key, completed_at, ended_at)
       VALUES ($1, $2, $6, $3, $4, false, 'COMPLETED', 'GATEWAY', $5, now(), now())
       ON CONFLICT (transaction_key) WHERE transaction_key IS NOT NULL DO NOTHING RETURNING id`,
      [refund.orderId, refund.paymentId, refund.amount, refund.reason, refund.transactionKey, refund.method],
    );
    return row ? this.find(row.id) : null;
  }

  async processingOf(paymentId: number): Promise<Refund[]> {
    return this.sql.rows<Refund>(`${SELECT} WHERE r.payment_id = $1 AND r.status = 'PROCESSING' ORDER BY r.id`, [paymentId]);
  }

  async transactionKeysOf(paymentId: number): Promise<string[]> {
    const rows = await this.sql.rows<{ key: string }>(`SELECT transaction_key AS key FROM refunds WHERE payment_id = $1 AND transaction_key IS NOT NULL`, [paymentId]);
    return rows.map((r) => r.key);
  }

  async holderOf(transactionKey: string): Promise<number | null> {
    const row = await this.sql.one<{ id: number }>(`SELECT id FROM refunds WHERE transaction_key = $1`, [transactionKey]);
    return row ? Number(row.id) : null;
  }

  async withTransactionKeys(transactionKeys: string[]): Promise<{ transactionKey: string; amount: number; orderId: number }[]> {
    return this.sql.rows(`SELECT transaction_key AS "transactionKey", amount, order_id AS "orderId" FROM refunds WHERE transaction_key = ANY($1::varchar[])`, [transactionKeys]);
  }

  async heldAmountOf(orderId: number): Promise<number> {
    const row = await this.sql.one<{ held: number }>(`SELECT COALESCE(sum(amount), 0)::bigint AS held FROM refunds WHERE order_id = $1 AND status = 'PROCESSING'`, [orderId]);
    return Number(row?.held ?? 0);
  }

  async markCancelFailed(refundId: number): Promise<boolean> {
    const rows = await this.sql.rows(`UPDATE refunds SET status = 'CANCEL_FAILED', ended_at = now() WHERE id = $1 AND status = 'PROCESSING' RETURNING id`, [
      refundId,
    ]);
    return rows.length === 1;
  }

  async find(refundId: number): Promise<Refund | null> {
    return this.sql.one<Refund>(`${SELECT} WHERE r.id = $1`, [refundId]);
  }

  async itemsOf(refundId: number): Promise<(RefundItem & { productId: number })[]> {
    return this.sql.rows(
      `SELECT product_id AS "productId", product_option_id AS "productOptionId", quantity, amount
       FROM refund_items WHERE refund_id = $1 ORDER BY product_option_id`,
      [refundId],
    );
  }

  async listForOrder(orderId: number): Promise<Refund[]> {
    return this.sql.rows<Refund>(`${SELECT} WHERE r.order_id = $1 ORDER BY r.id`, [orderId]);
  }
}
