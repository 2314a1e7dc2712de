import type { Refund, RefundItem, RefundMethod } from '../../domain/refund';

export interface GatewayRefund {
  orderId: number;
  paymentId: number;
  method: RefundMethod;
  amount: number;
  reason: string;
  transactionKey: string;
}

export interface NewRefund {
  orderId: number;
  paymentId: number;
  method: RefundMethod;
  reason: string;
  restock: boolean;
  items: (RefundItem & { productId: number })[];
  /** The requester's Idempotency-Key, scoped to the requester; null without one. */
  requestKey: string | null;
}

/** The refunds and refund_items tables. Every status change is one statement guarded by the status it leaves (domain/refund-status.ts). */
export abstract class RefundStore {
  /** A PROCESSING refund with its items, in one statement. */
  abstract insert(refund: NewRefund): Promise<Refund>;
  /** The refund of the order requested with that key, if any. */
  abstract findByRequestKey(orderId: number, requestKey: string): Promise<Refund | null>;
  /** PROCESSING → COMPLETED, with the gateway's key of its cancel when it went through the gateway; its method, or null when someone else settled it first. */
  abstract markCompleted(refundId: number, transactionKey: string | null): Promise<RefundMethod | null>;
  /** A cancel the shop did not make, COMPLETED as a GATEWAY refund; null when that cancel (its transactionKey) is recorded already. */
  abstract insertGatewayRefund(refund: GatewayRefund): Promise<Refund | null>;
  /** The payment's refunds still waiting for the gateway, oldest first. */
  abstract processingOf(paymentId: number): Promise<Refund[]>;
  /** The gateway's keys of the cancels the payment's refunds recorded. */
  abstract transactionKeysOf(paymentId: number): Promise<string[]>;
  /** The refund that recorded this gateway cancel; null when none did. */
  abstract holderOf(transactionKey: string): Promise<number | null>;
  /** The refunds that recorded these gateway cancels. */
  abstract withTransactionKeys(transactionKeys: string[]): Promise<{ transactionKey: string; amount: number; orderId: number }[]>;
  /** Won held by the order's refunds still waiting for the gateway. */
  abstract heldAmountOf(orderId: number): Promise<number>;
  /** PROCESSING → CANCEL_FAILED; false when it was no longer PROCESSING. */
  abstract markCancelFailed(refundId: number): Promise<boolean>;
  abstract find(refundId: number): Promise<Refund | null>;
  /** The refund's items with their products, for what a completion gives back. */
  abstract itemsOf(refundId: number): Promise<(RefundItem & { productId: number })[]>;
  /** Every refund of an order, oldest first. */
  abstract listForOrder(orderId: number): Promise<Refund[]>;
}
