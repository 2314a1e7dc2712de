import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import type { GatewayAttempt, Payment } from '../domain/payment';
import { BookedChargeRecord, PaymentStore } from '../application/ports/payment-store.port';

const columns = (t = 'payments') => `${t}.id, ${t}.order_id AS "orderId", ${t}.user_id AS "userId", ${t}.amount, ${t}.method, ${t}.status,
  ${t}.approval_number AS "approvalNumber", ${t}.failure_code AS "failureCode", ${t}.payment_key AS "paymentKey",
  ${t}.gateway_order_id AS "gatewayOrderId", ${t}.easy_pay_provider AS "easyPayProvider", ${t}.virtual_account AS "virtualAccount",
  ${t}.created_at AS "createdAt", ${t}.completed_at AS "completedAt"`;
const cardColumns = (t = 'payments') => `${columns(t)}, ${t}.gateway_key AS "gatewayKey"`;
const COLUMNS = columns();
const CARD_COLUMNS = cardColumns();

@Injectable()
export class PaymentRepository implements PaymentStore {
  constructor(private readonly sql: Sql) {}

  async insertCompleted(orderId: number, userId: number, amount: number): Promise<Payment> {
    const [row] = await this.sql.rows<Payment>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, completed_at, ended_at)
       VALUES ($1, $2, $3, 'BALANCE', 'COMPLETED', now(), now()) RETURNING ${COLUMNS}`,
      [orderId, userId, amount],
    );
    return row;
  }

  async insertProcessingCard(orderId: number, userId: number, amount: number, paymentKey: string, gatewayOrderId: string): Promise<GatewayAttempt> {
    const [row] = await this.sql.rows<GatewayAttempt>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, payment_key, gateway_order_id, gateway_key)
       VALUES ($1, $2, $3, 'CARD', 'PROCESSING', $4, $5, gen_random_uuid()) RETURNING ${CARD_COLUMNS}`,
      [orderId, userId, amount, paymentKey, gatewayOrderId],
    );
    return row;
  }

  async completeCard(paymentId: number, approvalNumber: string | null, approvalKey: string | null): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments p SET status = 'COMPLETED', approval_number = $2, approval_key = $3, completed_at = now(), ended_at = now(), reconcile_after = NULL
       WHERE p.id = $1 AND p.status = 'PROCESSING'
         AND NOT EXISTS (SELECT 1 FROM payments e WHERE e.order_id = p.order_id AND e.id <> p.id AND e.payment_key = p.payment_key AND e.cancel_requested_at IS NOT NULL)
       RETURNING ${columns('p')}`,
      [paymentId, approvalNumber, approvalKey],
    );
  }

  async chargeCancelRequested(paymentId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `SELECT 1 FROM payments p JOIN payments e ON e.order_id = p.order_id AND e.id <> p.id AND e.payment_key = p.payment_key
       WHERE p.id = $1 AND p.status = 'PROCESSING' AND e.cancel_requested_at IS NOT NULL LIMIT 1`,
      [paymentId],
    );
    return rows.length > 0;
  }

  async failCard(paymentId: number, failureCode: string, watch: boolean): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments SET status = 'FAILED', failure_code = $2, ended_at = now(), reconcile_after = NULL,
              outcome_unknown_at = CASE WHEN $3::boolean THEN COALESCE(outcome_unknown_at, now()) ELSE outcome_unknown_at END
       WHERE id = $1 AND status = 'PROCESSING' RETURNING ${COLUMNS}`,
      [paymentId, failureCode, watch],
    );
  }

  async markOutcomeUnknown(paymentId: number): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments SET outcome_unknown_at = COALESCE(outcome_unknown_at, now()) WHERE id = $1 AND status = 'PROCESSING' RETURNING ${COLUMNS}`,
      [paymentId],
    );
  }

  async requestCancellation(paymentId: number): Promise<boolean> {
    // Not when a later attempt of the order carries the same charge (a retry with the same
    // paymentKey): that charge is, or may be about to be, what pays the order.
    const rows = await this.sql.rows(
      `UPDATE payments p SET cancel_requested_at = now()
       WHERE p.id = $1 AND p.status = 'FAILED' AND p.cancel_requested_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM payments l WHERE l.order_id = p.order_id AND l.id <> p.id AND l.payment_key = p.payment_key AND l.status IN ('PROCESSING', 'COMPLETED'))
       RETURNING 1`,
      [paymentId],
    );
    return rows.length > 0;
  }

  async markCancelled(paymentId: number, transactionKey: string | null): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments SET status = 'CANCELLED', ended_at = now(), cancelled_at = now(), cancel_transaction_key = $2
       WHERE id = $1 AND status IN ('FAILED', 'CANCEL_FAILED') RETURNING ${COLUMNS}`,
      [paymentId, transactionKey],
    );
  }

  async markCancelFailed(paymentId: number): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments SET status = 'CANCEL_FAILED', ended_at = now() WHERE id = $1 AND status = 'FAILED' RETURNING ${COLUMNS}`,
      [paymentId],
    );
  }

  async leaseForReconciliation(limit: number, olderThanMs: number, watchSeconds: number, leaseMs: number): Promise<GatewayAttempt[]> {
    return this.sql.rows<GatewayAttempt>(
      `WITH processing AS (
         SELECT id FROM payments
         WHERE status = 'PROCESSING' AND created_at < now() - make_interval(secs => $2 / 1000.0)
           AND (reconcile_after IS NULL OR reconcile_after <= now())
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       watched AS (
         SELECT id FROM payments
         WHERE status = 'FAILED' AND outcome_unknown_at IS NOT NULL AND cancel_requested_at IS NULL
           AND ended_at > now() - make_interval(secs => $3) AND (reconcile_after IS NULL OR reconcile_after <= now())
         ORDER BY ended_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE payments p SET reconcile_after = now() + make_interval(secs => $4 / 1000.0)
       FROM (SELECT id FROM processing UNION ALL SELECT id FROM watched) due WHERE p.id = due.id
       RETURNING ${cardColumns('p')}`,
      [limit, olderThanMs, watchSeconds, leaseMs],
    );
  }

  async findAttempt(paymentId: number): Promise<GatewayAttempt | null> {
    return this.sql.one<GatewayAttempt>(`SELECT ${CARD_COLUMNS} FROM payments WHERE id = $1 AND payment_key IS NOT NULL`, [paymentId]);
  }

  async attemptsWithKey(paymentKey: string): Promise<GatewayAttempt[]> {
    return this.sql.rows<GatewayAttempt>(`SELECT ${CARD_COLUMNS} FROM payments WHERE payment_key = $1 ORDER BY id`, [paymentKey]);
  }

  async attemptsForGatewayOrder(gatewayOrderId: string): Promise<GatewayAttempt[]> {
    return this.sql.rows<GatewayAttempt>(`SELECT ${CARD_COLUMNS} FROM payments WHERE gateway_order_id = $1 AND payment_key IS NOT NULL ORDER BY id`, [gatewayOrderId]);
  }

  async find(paymentId: number): Promise<Payment | null> {
    return this.sql.one<Payment>(`SELECT ${COLUMNS} FROM payments WHERE id = $1`, [paymentId]);
  }

  async findForUser(userId: number, paymentId: number): Promise<Payment | null> {
    return this.sql.one<Payment>(`SELECT ${COLUMNS} FROM payments WHERE id = $1 AND user_id = $2`, [paymentId, userId]);
  }

  async completedOf(orderId: number): Promise<Payment | null> {
    return this.sql.one(`SELECT ${COLUMNS} FROM payments WHERE order_id = $1 AND status = 'COMPLETED'`, [orderId]);
  }

  async listForOrder(orderId: number): Promise<Payment[]> {
    return this.sql.rows<Payment>(`SELECT ${COLUMNS} FROM payments WHERE order_id = $1 ORDER BY id`, [orderId]);
  }

  async chargesForReconciliation(paymentKeys: string[], from: Date, to: Date): Promise<BookedChargeRecord[]> {
    return this.sql.rows<BookedChargeRecord>(
      `SELECT id AS "paymentId", order_id AS "orderId", payment_key AS "paymentKey", amount, status,
              cancel_requested_at IS NOT NULL AS "beingCancelled", completed_at AS "completedAt"
       FROM payments WHERE payment_key = ANY($1::varchar[])
       UNION
       SELECT id, order_id, payment_key, amount, status, cancel_requested_at IS NOT NULL, completed_at
       FROM payments WHERE method <> 'BALANCE' AND completed_at >= $2 AND completed_at < $3`,
      [paymentKeys, from, to],
    );
  }

  async chargeCancelsWithKeys(transactionKeys: string[]): Promise<{ transactionKey: string; amount: number; orderId: number }[]> {
    return this.sql.rows(
      `SELECT cancel_transaction_key AS "transactionKey", amount, order_id AS "orderId" FROM payments WHERE cancel_transaction_key = ANY($1::varchar[])`,
      [transactionKeys],
    );
  }

  async countProcessing(): Promise<number> {
    const row = await this.sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE status = 'PROCESSING'`);
    return row?.n ?? 0;
  }
}
