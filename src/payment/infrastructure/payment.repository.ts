import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
import { Sql } from '../../common/database/sql';
import type { GatewayAttempt, Payment } from '../domain/payment';
import { BookedChargeRecord, GatewayCharge, IssuedAccount, NewGatewayAttempt, PaymentInStatement, PaymentStore } from '../application/ports/payment-store.port';

const columns = (t = 'payments') => `${t}.id, ${t}.order_id AS "orderId", ${t}.user_id AS "userId", ${t}.amount, ${t}.method, ${t}.status,
  ${t}.approval_number AS "approvalNumber", ${t}.failure_code AS "failureCode", ${t}.payment_key AS "paymentKey",
  ${t}.gateway_order_id AS "gatewayOrderId", ${t}.easy_pay_provider AS "easyPayProvider", ${t}.virtual_account AS "virtualAccount",
  ${t}.created_at AS "createdAt", ${t}.completed_at AS "completedAt"`;
const cardColumns = (t = 'payments') => `${columns(t)}, ${t}.gateway_key AS "gatewayKey", ${t}.deposit_due_at AS "depositDueAt"`;
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

  insertCompletedPart(statement: OneStatement, orderId: number, userId: number, amountSql: string): PaymentInStatement {
    statement.then(
      'payment_written',
      `INSERT INTO payments (order_id, user_id, amount, method, status, completed_at, ended_at)
       SELECT ${statement.param(orderId, 'bigint')}, ${statement.param(userId, 'bigint')}, ${amountSql}, 'BALANCE', 'COMPLETED', now(), now()
       FROM checked RETURNING ${COLUMNS}`,
      { returning: true },
    );
    return { idSql: '(SELECT id FROM payment_written)', methodSql: `'BALANCE'` };
  }

  async insertProcessingGateway(attempt: NewGatewayAttempt): Promise<GatewayAttempt> {
    const [row] = await this.sql.rows<GatewayAttempt>(
      `INSERT INTO payments (order_id, user_id, amount, method, status, payment_key, gateway_order_id, gateway_key)
       VALUES ($1, $2, $3, $4, 'PROCESSING', $5, $6, gen_random_uuid()) RETURNING ${CARD_COLUMNS}`,
      [attempt.orderId, attempt.userId, attempt.amount, attempt.method, attempt.paymentKey, attempt.gatewayOrderId],
    );
    return row;
  }

  insertProcessingGatewayPart(statement: OneStatement, attempt: Omit<NewGatewayAttempt, 'gatewayOrderId' | 'amount'>, amountSql: string, gatewayOrderIdSql: string): void {
    statement.then(
      'attempt_written',
      `INSERT INTO payments (order_id, user_id, amount, method, status, payment_key, gateway_order_id, gateway_key)
       SELECT ${statement.param(attempt.orderId, 'bigint')}, ${statement.param(attempt.userId, 'bigint')}, ${amountSql},
              ${statement.param(attempt.method, 'varchar')}, 'PROCESSING', ${statement.param(attempt.paymentKey, 'varchar')}, ${gatewayOrderIdSql}, gen_random_uuid()
       FROM checked RETURNING ${CARD_COLUMNS}`,
      { returning: true },
    );
  }

  async completeGateway(paymentId: number, charge: GatewayCharge): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments p SET status = 'COMPLETED', approval_number = $2, approval_key = $3, method = COALESCE($4, p.method), easy_pay_provider = $5,
              completed_at = now(), ended_at = now(), reconcile_after = NULL
       WHERE p.id = $1 AND p.status IN ('PROCESSING', 'AWAITING_DEPOSIT')
         AND NOT EXISTS (SELECT 1 FROM payments e WHERE e.order_id = p.order_id AND e.id <> p.id AND e.payment_key = p.payment_key AND e.cancel_requested_at IS NOT NULL)
       RETURNING ${columns('p')}`,
      [paymentId, charge.approvalNumber, charge.approvalKey, charge.method, charge.easyPayProvider],
    );
  }

  completeGatewayPart(statement: OneStatement, paymentId: number, charge: GatewayCharge): PaymentInStatement {
    statement.guard(
      'payment_completed',
      `UPDATE payments p SET status = 'COMPLETED', approval_number = ${statement.param(charge.approvalNumber, 'varchar')},
              approval_key = ${statement.param(charge.approvalKey, 'varchar')}, method = COALESCE(${statement.param(charge.method, 'varchar')}, p.method),
              easy_pay_provider = ${statement.param(charge.easyPayProvider, 'varchar')}, completed_at = now(), ended_at = now(), reconcile_after = NULL
       WHERE p.id = ${statement.param(paymentId, 'bigint')} AND p.status IN ('PROCESSING', 'AWAITING_DEPOSIT')
         AND NOT EXISTS (SELECT 1 FROM payments e WHERE e.order_id = p.order_id AND e.id <> p.id AND e.payment_key = p.payment_key AND e.cancel_requested_at IS NOT NULL)
       RETURNING ${columns('p')}`,
      '(SELECT count(*) FROM payment_completed) = 1',
    );
    statement.then('payment_answer', `SELECT payment_completed.* FROM payment_completed, checked`, { returning: true });
    return { idSql: '(SELECT id FROM payment_completed)', methodSql: '(SELECT method FROM payment_completed)' };
  }

  async awaitDeposit(paymentId: number, issued: IssuedAccount): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments SET status = 'AWAITING_DEPOSIT', method = 'VIRTUAL_ACCOUNT', virtual_account = $2::jsonb, deposit_secret = $3, deposit_due_at = $4,
              reconcile_after = NULL
       WHERE id = $1 AND status = 'PROCESSING' RETURNING ${COLUMNS}`,
      [paymentId, JSON.stringify(issued.virtualAccount), issued.secret, issued.dueAt],
    );
  }

  async closeAwaiting(paymentId: number, to: 'FAILED' | 'CANCELLED', failureCode: string | null, transactionKey: string | null): Promise<Payment | null> {
    return this.sql.one<Payment>(
      `UPDATE payments SET status = $2::varchar, failure_code = $3, cancel_transaction_key = $4, ended_at = now(), reconcile_after = NULL,
              cancelled_at = CASE WHEN $2::varchar = 'CANCELLED' THEN now() END
       WHERE id = $1 AND status = 'AWAITING_DEPOSIT' RETURNING ${COLUMNS}`,
      [paymentId, to, failureCode, transactionKey],
    );
  }

  async depositSecretsOf(gatewayOrderId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ secret: string }>(`SELECT deposit_secret AS secret FROM payments WHERE gateway_order_id = $1 AND deposit_secret IS NOT NULL`, [gatewayOrderId]);
    return rows.map((r) => r.secret);
  }

  async countAwaitingDeposit(): Promise<number> {
    const row = await this.sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE status = 'AWAITING_DEPOSIT'`);
    return row?.n ?? 0;
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
    // paymentKey): that charge is, or may be about to be, what pays the order; a virtual account
    // that attempt waits on is the one its deposit will come into.
    const rows = await this.sql.rows(
      `UPDATE payments p SET cancel_requested_at = now()
       WHERE p.id = $1 AND p.status = 'FAILED' AND p.cancel_requested_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM payments l WHERE l.order_id = p.order_id AND l.id <> p.id AND l.payment_key = p.payment_key
                           AND l.status IN ('PROCESSING', 'AWAITING_DEPOSIT', 'COMPLETED'))
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

  async leaseForReconciliation(limit: number, olderThanMs: number, watchSeconds: number, leaseMs: number, awaitingEveryMs: number): Promise<GatewayAttempt[]> {
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
         ORDER BY ended_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       awaiting AS (
         SELECT id FROM payments
         WHERE status = 'AWAITING_DEPOSIT' AND (reconcile_after IS NULL OR reconcile_after <= now())
         ORDER BY deposit_due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE payments p SET reconcile_after = CASE
           WHEN p.status = 'AWAITING_DEPOSIT'
             -- Looked at again every awaitingEveryMs, and at its due date at the latest.
             THEN LEAST(now() + make_interval(secs => $5 / 1000.0), GREATEST(now() + make_interval(secs => $4 / 1000.0), p.deposit_due_at))
           ELSE now() + make_interval(secs => $4 / 1000.0) END
       FROM (SELECT id FROM processing UNION ALL SELECT id FROM watched UNION ALL SELECT id FROM awaiting) due WHERE p.id = due.id
       RETURNING ${cardColumns('p')}`,
      [limit, olderThanMs, watchSeconds, leaseMs, awaitingEveryMs],
    );
  }

  async findAttempt(paymentId: number): Promise<GatewayAttempt | null> {
    return this.sql.one<GatewayAttempt>(`SELECT ${CARD_COLUMNS} FROM payments WHERE id = $1 AND payment_key IS NOT NULL`, [paymentId]);
  }

  async attemptsWithKey(paymentKey: string): Promise<GatewayAttempt[]> {
    return this.sql.rows<GatewayAttempt>(`SELECT ${CARD_COLUMNS} FROM payments WHERE payment_key = $1 ORDER BY id`, [paymentKey]);
  }

  async openAttemptsWithKeys(paymentKeys: string[]): Promise<GatewayAttempt[]> {
    return this.sql.rows<GatewayAttempt>(
      `SELECT ${CARD_COLUMNS} FROM payments WHERE payment_key = ANY($1::varchar[]) AND status IN ('PROCESSING', 'AWAITING_DEPOSIT') ORDER BY id`,
      [paymentKeys],
    );
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

  async awaitingDepositOf(orderId: number): Promise<GatewayAttempt | null> {
    return this.sql.one<GatewayAttempt>(`SELECT ${CARD_COLUMNS} FROM payments WHERE order_id = $1 AND status = 'AWAITING_DEPOSIT'`, [orderId]);
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
