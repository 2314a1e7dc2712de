/** One cancel of a payment at the gateway, the shop's or anyone's. */
export interface GatewayCancel {
  transactionKey: string;
  cancelAmount: number;
  canceledAt: string;
  cancelReason: string;
}

export interface GatewayVirtualAccount {
  accountNumber: string;
  bankCode: string;
  customerName: string;
  /** ISO instant, as the gateway gives it. */
  dueDate: string;
}

/** A payment as the gateway reports it. */
export interface GatewayPayment {
  paymentKey: string;
  /** The gateway order id it was confirmed with. */
  orderId: string;
  /** DONE, CANCELED, PARTIAL_CANCELED, ABORTED, EXPIRED, WAITING_FOR_DEPOSIT, ... as the gateway says. */
  status: string;
  /** The gateway's word for how it was paid: 카드, 간편결제, 가상계좌 (or the English names). */
  method: string | null;
  currency: string | null;
  totalAmount: number;
  /** What is still charged: totalAmount less what was cancelled. */
  balanceAmount: number;
  /** The card company's approval number; null when there is no card. */
  approvalNumber: string | null;
  /** The key of the payment's latest transaction (its approval, or its latest cancel). */
  lastTransactionKey: string | null;
  cancels: GatewayCancel[];
  easyPayProvider: string | null;
  virtualAccount: GatewayVirtualAccount | null;
  /** A virtual account's secret, which its deposit callbacks carry. */
  secret: string | null;
}

/**
 * What a confirm came to: approved (or, for a virtual account, issued); declined (with the
 * gateway's code); never delivered (the connection was refused: nothing can have been charged);
 * or nobody knows (timeout, 5xx, a dropped connection, "already processed").
 */
export type ConfirmAnswer =
  | { kind: 'APPROVED'; payment: GatewayPayment }
  | { kind: 'DECLINED'; code: string; message: string }
  | { kind: 'UNREACHABLE'; reason: string }
  | { kind: 'UNKNOWN'; reason: string };

/** What a lookup came to: the gateway's payment, none at all, or no answer. */
export type LookupAnswer = { kind: 'FOUND'; payment: GatewayPayment } | { kind: 'NOT_FOUND' } | { kind: 'UNKNOWN'; reason: string };

/**
 * What a cancel came to: done (with the payment as it stands after it; null when the gateway
 * only said it was cancelled already), or not done, with the gateway's code when it refused.
 */
export type CancelAnswer = { kind: 'CANCELLED'; payment: GatewayPayment | null } | { kind: 'FAILED'; reason: string; code: string | null };

/** One line of the gateway's transaction list: an approval (DONE) or a cancel. */
export interface GatewayTransaction {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  method: string | null;
  status: string;
  transactionAt: Date;
  currency: string | null;
  amount: number;
}

export type TransactionsAnswer = { kind: 'LISTED'; transactions: GatewayTransaction[] } | { kind: 'UNKNOWN'; reason: string };
