import type { OneStatement } from '../../../common/database/one-statement';
import type { BalanceLogType } from '../../domain/balance';

export interface BalanceLogRecord {
  id: number;
  type: BalanceLogType;
  amount: number;
  balanceAfter: number;
  orderId: number | null;
  createdAt: Date;
}

/**
 * The user_accounts and balance_logs tables. Every change is one conditional statement, so
 * concurrent charges and payments of one user serialise on the row lock and none is lost;
 * there is no read-modify-write to retry.
 */
export abstract class BalanceStore {
  abstract find(userId: number): Promise<number | null>;
  /**
   * Creates the account on first use; returns the balance after the credit, or null when it
   * would pass `ceiling` (nothing changed). Refunds may pass the ceiling.
   */
  abstract credit(userId: number, amount: number, ceiling: number): Promise<number | null>;
  /** Debit and its USE log together. Returns the balance after, or null when it would go below zero (nothing changed). */
  abstract debitForOrder(userId: number, amount: number, orderId: number): Promise<number | null>;
  /** `debitForOrder` of `amountSql` (SQL of the statement) as a part of one statement (OneStatement), checked to have debited; nothing for 0 won. */
  abstract debitForOrderPart(statement: OneStatement, userId: number, amountSql: string, orderId: number): void;
  /**
   * A refund's credit and its REFUND log naming the order. No ceiling: money taken is always
   * given back, even to a balance that was charged up to the limit since.
   */
  abstract creditForRefund(userId: number, amount: number, orderId: number): Promise<number>;
  abstract appendLog(userId: number, entry: Omit<BalanceLogRecord, 'id' | 'createdAt'>): Promise<void>;
  /** Newest first; `beforeId` continues after a cursor. Reads one row past `limit`. */
  abstract listLogs(userId: number, limit: number, beforeId: number | null): Promise<BalanceLogRecord[]>;
}
