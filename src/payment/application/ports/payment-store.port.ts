import type { OneStatement } from '../../../common/database/one-statement';
import type { GatewayAttempt, GatewayMethod, Payment } from '../../domain/payment';

export interface NewGatewayAttempt {
  orderId: number;
  userId: number;
  amount: number;
  /** The method the client asked for; the gateway's answer decides the one recorded. */
  method: GatewayMethod;
  paymentKey: string;
  gatewayOrderId: string;
}

/** A payment row a one statement writes, as SQL expressions of its columns. */
export interface PaymentInStatement {
  idSql: string;
  methodSql: string;
}

/** What the gateway's answer says of a charge, as the payment records it. */
export interface GatewayCharge {
  approvalNumber: string | null;
  approvalKey: string | null;
  /** Null: the answer named no method the shop knows; the attempt keeps the one asked for. */
  method: GatewayMethod | null;
  easyPayProvider: string | null;
}

export interface IssuedAccount {
  virtualAccount: { accountNumber: string; bankCode: string; customerName: string; dueDate: Date };
  secret: string | null;
  dueAt: Date;
}

export interface BookedChargeRecord {
  paymentId: number;
  orderId: number;
  paymentKey: string;
  amount: number;
  status: string;
  beingCancelled: boolean;
  completedAt: Date | null;
}

/** The payments table. Every status change is one statement guarded by the status it leaves (domain/payment-status.ts). */
export abstract class PaymentStore {
  /**
   * A completed balance payment. The unique index on live attempts (PROCESSING or COMPLETED)
   * backs the order's guard: one standing payment per order, whatever happens.
   */
  abstract insertCompleted(orderId: number, userId: number, amount: number): Promise<Payment>;
  /**
   * `insertCompleted` as the answering part of one statement (OneStatement), written once every
   * check held; returns the SQL expressions of the new payment's id and method, for the parts written after it.
   */
  abstract insertCompletedPart(statement: OneStatement, orderId: number, userId: number, amountSql: string): PaymentInStatement;
  /** A gateway attempt, recorded with the key it will call the gateway with before the gateway is called. */
  abstract insertProcessingGateway(attempt: NewGatewayAttempt): Promise<GatewayAttempt>;
  /** `insertProcessingGateway` as the answering part of one statement (OneStatement), its amount and gateway order id SQL expressions. */
  abstract insertProcessingGatewayPart(statement: OneStatement, attempt: Omit<NewGatewayAttempt, 'gatewayOrderId' | 'amount'>, amountSql: string, gatewayOrderIdSql: string): void;
  /**
   * PROCESSING or AWAITING_DEPOSIT → COMPLETED, with what the gateway's answer says of the charge
   * (its method, approval number, approval key, easy-pay provider); null when the attempt was no
   * longer live (someone else settled it) or when its charge is being cancelled as an earlier
   * attempt's late approval. The caller holds the order's lock: two attempts may carry the same
   * paymentKey, i.e. one charge.
   */
  abstract completeGateway(paymentId: number, charge: GatewayCharge): Promise<Payment | null>;
  /**
   * `completeGateway` as the answering part of one statement (OneStatement), checked to have
   * completed the attempt; returns the SQL expressions of the payment's id and method, for the parts after it.
   */
  abstract completeGatewayPart(statement: OneStatement, paymentId: number, charge: GatewayCharge): PaymentInStatement;
  /** PROCESSING → AWAITING_DEPOSIT: a virtual account was issued for it. */
  abstract awaitDeposit(paymentId: number, issued: IssuedAccount): Promise<Payment | null>;
  /** AWAITING_DEPOSIT → CANCELLED (the customer's cancel) or FAILED (its due date), once its account is closed at the gateway. */
  abstract closeAwaiting(paymentId: number, to: 'FAILED' | 'CANCELLED', failureCode: string | null, transactionKey: string | null): Promise<Payment | null>;
  /** The secrets of the virtual accounts issued for the gateway order id, which their deposit callbacks must carry. */
  abstract depositSecretsOf(gatewayOrderId: string): Promise<string[]>;
  abstract countAwaitingDeposit(): Promise<number>;
  /** Whether the attempt's charge (its paymentKey) is being cancelled as an earlier attempt's late approval. */
  abstract chargeCancelRequested(paymentId: number): Promise<boolean>;
  /** PROCESSING → FAILED with why; `watch`: the outcome was unknown for a while, so it is watched for a late approval. */
  abstract failCard(paymentId: number, failureCode: string, watch: boolean): Promise<Payment | null>;
  /** The gateway could not say: the attempt stays PROCESSING, for the reconciler, and is watched once it ends. */
  abstract markOutcomeUnknown(paymentId: number): Promise<Payment | null>;
  /** A FAILED attempt's charge is to be cancelled at the gateway; false when already asked, or when a later attempt carries the same charge. */
  abstract requestCancellation(paymentId: number): Promise<boolean>;
  /** FAILED (or CANCEL_FAILED, replayed by an operator) → CANCELLED, with the gateway's key of the cancel when it gave one. */
  abstract markCancelled(paymentId: number, transactionKey: string | null): Promise<Payment | null>;
  /** FAILED → CANCEL_FAILED: every retry of the cancellation failed. */
  abstract markCancelFailed(paymentId: number): Promise<Payment | null>;
  /**
   * Leases up to `limit` attempts for the reconciler without keeping a lock: PROCESSING for
   * longer than `olderThanMs`, FAILED ones watched for a late approval (ended less than
   * `watchSeconds` ago, not yet being cancelled), and AWAITING_DEPOSIT ones not looked at for
   * `awaitingEveryMs` or due. Another instance skips them until the lease runs out.
   */
  abstract leaseForReconciliation(limit: number, olderThanMs: number, watchSeconds: number, leaseMs: number, awaitingEveryMs: number): Promise<GatewayAttempt[]>;
  abstract find(paymentId: number): Promise<Payment | null>;
  abstract findAttempt(paymentId: number): Promise<GatewayAttempt | null>;
  /** Every attempt that carries the gateway charge `paymentKey`, oldest first (a retry may carry the same). */
  abstract attemptsWithKey(paymentKey: string): Promise<GatewayAttempt[]>;
  /** The attempts carrying these charges that are not settled yet (PROCESSING, AWAITING_DEPOSIT). */
  abstract openAttemptsWithKeys(paymentKeys: string[]): Promise<GatewayAttempt[]>;
  /** Every attempt confirmed (or to be) with the gateway order id, oldest first. */
  abstract attemptsForGatewayOrder(gatewayOrderId: string): Promise<GatewayAttempt[]>;
  abstract findForUser(userId: number, paymentId: number): Promise<Payment | null>;
  /** The payment that paid the order (its one COMPLETED attempt), with the gateway's paymentKey; null when none. */
  abstract completedOf(orderId: number): Promise<Payment | null>;
  /** The order's attempt waiting for its virtual account's deposit, if there is one. */
  abstract awaitingDepositOf(orderId: number): Promise<GatewayAttempt | null>;
  /** Every attempt of an order, oldest first. */
  abstract listForOrder(orderId: number): Promise<Payment[]>;
  /** For the reconciliation: the attempts carrying these charges, and the gateway payments completed in [from, to). */
  abstract chargesForReconciliation(paymentKeys: string[], from: Date, to: Date): Promise<BookedChargeRecord[]>;
  /** The shop's own cancellations of charges, among these gateway transaction keys. */
  abstract chargeCancelsWithKeys(transactionKeys: string[]): Promise<{ transactionKey: string; amount: number; orderId: number }[]>;
  /** Attempts with the gateway right now, whatever instance started them. */
  abstract countProcessing(): Promise<number>;
}
