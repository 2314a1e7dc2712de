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
 * What a confirm came to: approved; declined (with the gateway's code); never delivered (the
 * connection was refused: nothing can have been charged); or nobody knows (timeout, 5xx, a
 * dropped connection, "already processed").
 */
export type ConfirmAnswer =
  | { kind: 'APPROVED'; payment: GatewayPayment }
  | { kind: 'DECLINED'; code: string; message: string }
  | { kind: 'UNREACHABLE'; reason: string }
  | { kind: 'UNKNOWN'; reason: string };

/** What a lookup came to: the gateway's payment, none at all, or no answer. */
export type LookupAnswer = { kind: 'FOUND'; payment: GatewayPayment } | { kind: 'NOT_FOUND' } | { kind: 'UNKNOWN'; reason: string };

export type CancelAnswer = { kind: 'CANCELLED' } | { kind: 'FAILED'; reason: string };
