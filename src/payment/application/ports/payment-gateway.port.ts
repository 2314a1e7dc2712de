/** A payment as the gateway reports it. */
export interface GatewayPayment {
  paymentKey: string;
  /** The gateway's order id (`order-N`). */
  orderId: string;
  /** DONE, CANCELED, PARTIAL_CANCELED, ABORTED, EXPIRED, ... as the gateway says. */
  status: string;
  totalAmount: number;
  /** What is still charged: totalAmount less what was cancelled. */
  balanceAmount: number;
  /** The card company's approval number; null when not approved. */
  approvalNumber: string | null;
}

/**
 * Approved; declined (with the gateway's code); never delivered (the connection was refused:
 * nothing can have been charged); or nobody knows (timeout, 5xx, a dropped connection, "already
 * processed").
 */
export type ConfirmAnswer =
  | { kind: 'APPROVED'; payment: GatewayPayment }
  | { kind: 'DECLINED'; code: string; message: string }
  | { kind: 'UNREACHABLE'; reason: string }
  | { kind: 'UNKNOWN'; reason: string };

export type LookupAnswer = { kind: 'FOUND'; payment: GatewayPayment } | { kind: 'NOT_FOUND' } | { kind: 'UNKNOWN'; reason: string };

export type CancelAnswer = { kind: 'CANCELLED' } | { kind: 'FAILED'; reason: string };

export interface ConfirmRequest {
  paymentKey: string;
  gatewayOrderId: string;
  amount: number;
  /** The attempt's own key, stored before the first call and sent again on every retry of it. */
  idempotencyKey: string;
}

export interface CancelRequest {
  paymentKey: string;
  reason: string;
  /** Won to give back; absent: everything still charged. */
  amount?: number;
  idempotencyKey: string;
}

/** The payment gateway, as the card payment flow needs it. One adapter: Toss Payments v1. */
export interface PaymentGateway {
  confirm(request: ConfirmRequest): Promise<ConfirmAnswer>;
  findByOrderId(gatewayOrderId: string): Promise<LookupAnswer>;
  cancel(request: CancelRequest): Promise<CancelAnswer>;
}

export const PAYMENT_GATEWAY = Symbol('PAYMENT_GATEWAY');
