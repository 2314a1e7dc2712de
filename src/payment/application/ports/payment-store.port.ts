import type { GatewayAttempt, Payment } from '../../domain/payment';

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
  /** A gateway attempt, recorded with the key it will call the gateway with before the gateway is called. */
  abstract insertProcessingCard(orderId: number, userId: number, amount: number, paymentKey: string, gatewayOrderId: string): Promise<GatewayAttempt>;
  /**
   * PROCESSING → COMPLETED, with the gateway's approval number and the key of its approval
   * transaction; null when the attempt was no longer PROCESSING (someone else settled it) or when
   * its charge is being cancelled as an earlier attempt's late approval. The caller holds the
   * order's lock: two attempts may carry the same paymentKey, i.e. one charge.
   */
  abstract completeCard(paymentId: number, approvalNumber: string | null, approvalKey: string | null): Promise<Payment | null>;
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
   * longer than `olderThanMs`, and FAILED ones watched for a late approval (ended less than
   * `watchSeconds` ago, not yet being cancelled). Another instance skips them until the lease runs out.
   */
  abstract leaseForReconciliation(limit: number, olderThanMs: number, watchSeconds: number, leaseMs: number): Promise<GatewayAttempt[]>;
  abstract find(paymentId: number): Promise<Payment | null>;
  abstract findAttempt(paymentId: number): Promise<GatewayAttempt | null>;
  /** Every attempt that carries the gateway charge `paymentKey`, oldest first (a retry may carry the same). */
  abstract attemptsWithKey(paymentKey: string): Promise<GatewayAttempt[]>;
  /** Every attempt confirmed (or to be) with the gateway order id, oldest first. */
  abstract attemptsForGatewayOrder(gatewayOrderId: string): Promise<GatewayAttempt[]>;
  abstract findForUser(userId: number, paymentId: number): Promise<Payment | null>;
  /** The payment that paid the order (its one COMPLETED attempt), with the gateway's paymentKey; null when none. */
  abstract completedOf(orderId: number): Promise<Payment | null>;
  /** Every attempt of an order, oldest first. */
  abstract listForOrder(orderId: number): Promise<Payment[]>;
  /** For the reconciliation: the attempts carrying these charges, and the gateway payments completed in [from, to). */
  abstract chargesForReconciliation(paymentKeys: string[], from: Date, to: Date): Promise<BookedChargeRecord[]>;
  /** The shop's own cancellations of charges, among these gateway transaction keys. */
  abstract chargeCancelsWithKeys(transactionKeys: string[]): Promise<{ transactionKey: string; amount: number; orderId: number }[]>;
  /** Attempts with the gateway right now, whatever instance started them. */
  abstract countProcessing(): Promise<number>;
}
