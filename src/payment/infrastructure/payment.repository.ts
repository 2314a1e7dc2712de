import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';

export type PaymentMethod = 'BALANCE' | 'CARD';
export type PaymentStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'CANCEL_FAILED';

/** A payment attempt as clients see it (API.md `Payment`). */
export interface PaymentRow {
  id: number;
  orderId: number;
  userId: number;
  amount: number;
  method: PaymentMethod;
  status: PaymentStatus;
  approvalNumber: string | null;
  failureCode: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** A card attempt with what only the server knows: the customer's paymentKey and the key it calls the gateway with. */
export interface CardAttempt extends PaymentRow {
  paymentKey: string;
  gatewayKey: string;
}

const columns = (t = 'payments') => `${t}.id, ${t}.order_id AS "orderId", ${t}.user_id AS "userId", ${t}.amount, ${t}.method, ${t}.status,
  ${t}.approval_number AS "approvalNumber", ${t}.failure_code AS "failureCode", ${t}.created_at AS "createdAt", ${t}.completed_at AS "completedAt"`;
const cardColumns = (t = 'payments') => `${columns(t)}, ${t}.payment_key AS "paymentKey", ${t}.gateway_key AS "gatewayKey"`;
const COLUMNS = columns();
const CARD_COLUMNS = cardColumns();

@Injectable()
export class PaymentRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * A completed balance payment. The unique index on live attempts (PROCESSING or COMPLETED)
   * backs the order's guard: one standing payment per order, whatever happens.
   */
  async insertCompleted(orderId: number, userId: number, amount: number): Promise<PaymentRow> {
    const [row] = await this.sql.rows<PaymentRow>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, completed_at, ended_at)
       VALUES ($1, $2, $3, 'BALANCE', 'COMPLETED', now(), now()) RETURNING ${COLUMNS}`,
      [orderId, userId, amount],
    );
    return row;
  }

  /** A card attempt, recorded with the key it will call the gateway with before the gateway is called. */
  async insertProcessingCard(orderId: number, userId: number, amount: number, paymentKey: string): Promise<CardAttempt> {
    const [row] = await this.sql.rows<CardAttempt>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, payment_key, gateway_key)
       VALUES ($1, $2, $3, 'CARD', 'PROCESSING', $4, gen_random_uuid()) RETURNING ${CARD_COLUMNS}`,
      [orderId, userId, amount, paymentKey],
    );
    return row;
  }

  /**
   * Serialises the settlements of one order's card attempts (a completion, a late approval's
   * cancellation) for the rest of the transaction. Two attempts may carry the same paymentKey,
   * i.e. one charge at the gateway: after this lock each sees what the other committed.
   */
  async lockSettlementsOf(orderId: number): Promise<void> {
    await this.sql.rows(`SELECT pg_advisory_xact_lock(hashtextextended('card-settlement:' || $1::text, 0))`, [orderId]);
  }

  /**
   * PROCESSING → COMPLETED; null when the attempt was no longer PROCESSING (someone else finished
   * it) or when its charge is being cancelled as an earlier attempt's late approval.
   */
  async completeCard(paymentId: number, approvalNumber: string | null): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(
      `UPDATE payments p SET status = 'COMPLETED', approval_number = $2, completed_at = now(), ended_at = now(), reconcile_after = NULL
       WHERE p.id = $1 AND p.status = 'PROCESSING'
         AND NOT EXISTS (SELECT 1 FROM payments e WHERE e.order_id = p.order_id AND e.id <> p.id AND e.payment_key = p.payment_key AND e.cancel_requested_at IS NOT NULL)
       RETURNING ${columns('p')}`,
      [paymentId, approvalNumber],
    );
  }

  /** Whether the attempt's charge (its paymentKey) is being cancelled as an earlier attempt's late approval. */
  async chargeCancelRequested(paymentId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `SELECT 1 FROM payments p JOIN payments e ON e.order_id = p.order_id AND e.id <> p.id AND e.payment_key = p.payment_key
       WHERE p.id = $1 AND p.status = 'PROCESSING' AND e.cancel_requested_at IS NOT NULL LIMIT 1`,
      [paymentId],
    );
    return rows.length > 0;
  }

  /** PROCESSING → FAILED with why; `unknown` marks an attempt whose outcome was not known for a while (watched afterwards). */
  async failCard(paymentId: number, failureCode: string, unknown: boolean): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(
      `UPDATE payments SET status = 'FAILED', failure_code = $2, ended_at = now(), reconcile_after = NULL,
              outcome_unknown_at = CASE WHEN $3::boolean THEN COALESCE(outcome_unknown_at, now()) ELSE outcome_unknown_at END
       WHERE id = $1 AND status = 'PROCESSING' RETURNING ${COLUMNS}`,
      [paymentId, failureCode, unknown],
    );
  }

  /** The gateway could not say: the attempt stays PROCESSING, for the reconciler, and is watched once it ends. */
  async markOutcomeUnknown(paymentId: number): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(
      `UPDATE payments SET outcome_unknown_at = COALESCE(outcome_unknown_at, now()) WHERE id = $1 AND status = 'PROCESSING' RETURNING ${COLUMNS}`,
      [paymentId],
    );
  }

  /** A charge that must not stand is to be cancelled at the gateway; false when already asked or no longer FAILED. */
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

  /** The gateway cancelled the charge: FAILED (or CANCEL_FAILED, replayed by an operator) → CANCELLED. */
  async markCancelled(paymentId: number): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(
      `UPDATE payments SET status = 'CANCELLED', ended_at = now() WHERE id = $1 AND status IN ('FAILED', 'CANCEL_FAILED') RETURNING ${COLUMNS}`,
      [paymentId],
    );
  }

  /** Every retry of the cancellation failed: an operator must act. */
  async markCancelFailed(paymentId: number): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(
      `UPDATE payments SET status = 'CANCEL_FAILED', ended_at = now() WHERE id = $1 AND status = 'FAILED' RETURNING ${COLUMNS}`,
      [paymentId],
    );
  }

  /**
   * Leases up to `limit` card attempts for the reconciler, in one statement and without keeping
   * a lock: PROCESSING for longer than `olderThanMs`, and FAILED ones whose outcome was once
   * unknown, ended less than `watchSeconds` ago and not yet being cancelled. Another instance
   * skips them until the lease runs out; a reconciler that dies simply lets it run out.
   */
  async leaseForReconciliation(limit: number, olderThanMs: number, watchSeconds: number, leaseMs: number): Promise<CardAttempt[]> {
    return this.sql.rows<CardAttempt>(
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

  async find(paymentId: number): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE id = $1`, [paymentId]);
  }

  async findForUser(userId: number, paymentId: number): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE id = $1 AND user_id = $2`, [paymentId, userId]);
  }

  /** The payment that paid the order (its one COMPLETED attempt), with the card's paymentKey; null when none. */
  async completedOf(orderId: number): Promise<(PaymentRow & { paymentKey: string | null }) | null> {
    return this.sql.one(`SELECT ${COLUMNS}, payment_key AS "paymentKey" FROM payments WHERE order_id = $1 AND status = 'COMPLETED'`, [orderId]);
  }

  /** Every attempt of an order, oldest first. */
  async listForOrder(orderId: number): Promise<PaymentRow[]> {
    return this.sql.rows<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE order_id = $1 ORDER BY id`, [orderId]);
  }
}
