import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
import { Sql } from '../../common/database/sql';
import { BalanceLogRecord, BalanceStore } from '../application/ports/balance-store.port';

@Injectable()
export class BalanceRepository implements BalanceStore {
  constructor(private readonly sql: Sql) {}

  async find(userId: number): Promise<number | null> {
    const rows = await this.sql.rows<{ balance: number }>('SELECT balance FROM user_accounts WHERE id = $1', [userId]);
    return rows[0]?.balance ?? null;
  }

  /** A guard in the statement, not a CHECK: refunds may pass the ceiling. */
  async credit(userId: number, amount: number, ceiling: number): Promise<number | null> {
    const rows = await this.sql.rows<{ balance: number }>(
      `INSERT INTO user_accounts (id, balance) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET balance = user_accounts.balance + EXCLUDED.balance, updated_at = now()
         WHERE user_accounts.balance + EXCLUDED.balance <= $3
       RETURNING balance`,
      [userId, amount, ceiling],
    );
    return rows[0]?.balance ?? null;
  }

  /** Debit and its USE log in one statement (one round trip inside the payment transaction). */
  async debitForOrder(userId: number, amount: number, orderId: number): Promise<number | null> {
    const rows = await this.sql.rows<{ balance: number }>(
      `WITH debited AS (
         UPDATE user_accounts SET balance = balance - $2, updated_at = now()
         WHERE id = $1 AND balance >= $2 RETURNING balance)
       INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT $1, 'USE', $2, balance, $3 FROM debited RETURNING balance_after AS balance`,
      [userId, amount, orderId],
    );
    return rows[0]?.balance ?? null;
  }

  debitForOrderPart(statement: OneStatement, userId: number, amountSql: string, orderId: number): void {
    const user = statement.param(userId, 'bigint');
    // A fully discounted order costs nothing: no debit, and no zero-won log line.
    statement.guard(
      'balance_debited',
      `UPDATE user_accounts SET balance = balance - ${amountSql}, updated_at = now()
       WHERE id = ${user} AND balance >= ${amountSql} AND ${amountSql} > 0 RETURNING balance, ${amountSql} AS amount`,
      `EXISTS (SELECT 1 FROM balance_debited) OR ${amountSql} = 0`,
    );
    statement.guard(
      'balance_logged',
      `INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT ${user}, 'USE', amount, balance, ${statement.param(orderId, 'bigint')} FROM balance_debited`,
    );
  }

  /** The credit and its log in one statement. */
  async creditForRefund(userId: number, amount: number, orderId: number): Promise<number> {
    const [row] = await this.sql.rows<{ balance: number }>(
      `WITH credited AS (
         INSERT INTO user_accounts (id, balance) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET balance = user_accounts.balance + EXCLUDED.balance, updated_at = now()
         RETURNING balance)
       INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT $1, 'REFUND', $2, balance, $3 FROM credited RETURNING balance_after AS balance`,
      [userId, amount, orderId],
    );
    return row.balance;
  }

  async appendLog(userId: number, entry: Omit<BalanceLogRecord, 'id' | 'createdAt'>): Promise<void> {
    await this.sql.rows(
      'INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id) VALUES ($1, $2, $3, $4, $5)',
      [userId, entry.type, entry.amount, entry.balanceAfter, entry.orderId],
    );
  }

  async listLogs(userId: number, limit: number, beforeId: number | null): Promise<BalanceLogRecord[]> {
    return this.sql.rows(
      `SELECT id, type, amount, balance_after AS "balanceAfter", order_id AS "orderId", created_at AS "createdAt"
       FROM balance_logs WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [userId, beforeId, limit + 1],
    );
  }
}
