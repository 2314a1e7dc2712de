import type { CancelAnswer, ConfirmAnswer, LookupAnswer, TransactionsAnswer } from '../../domain/gateway-answers';

export type { CancelAnswer, ConfirmAnswer, GatewayCancel, GatewayPayment, GatewayTransaction, LookupAnswer, TransactionsAnswer } from '../../domain/gateway-answers';

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
  /** Where a virtual account's deposit goes back, passed on as is. */
  refundReceiveAccount?: { bank: string; accountNumber: string; holderName: string };
}

/** [from, to) by the gateway's transaction time. */
export interface TransactionsWindow {
  from: Date;
  to: Date;
}

/** The payment gateway, as the shop needs it. One adapter: Toss Payments v1. */
export abstract class PaymentGateway {
  abstract confirm(request: ConfirmRequest): Promise<ConfirmAnswer>;
  /** A payment by its own key: every lookup judges one attempt by its own charge. */
  abstract findByPaymentKey(paymentKey: string): Promise<LookupAnswer>;
  abstract cancel(request: CancelRequest): Promise<CancelAnswer>;
  /** Every approval and cancel of the window, all pages. */
  abstract listTransactions(window: TransactionsWindow): Promise<TransactionsAnswer>;
}
