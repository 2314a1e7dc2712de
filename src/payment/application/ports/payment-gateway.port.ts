import type { CancelAnswer, ConfirmAnswer, LookupAnswer } from '../../domain/gateway-answers';

export type { CancelAnswer, ConfirmAnswer, GatewayPayment, LookupAnswer } from '../../domain/gateway-answers';

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

/** The payment gateway, as the shop needs it. One adapter: Toss Payments v1. */
export abstract class PaymentGateway {
  abstract confirm(request: ConfirmRequest): Promise<ConfirmAnswer>;
  abstract findByOrderId(gatewayOrderId: string): Promise<LookupAnswer>;
  abstract cancel(request: CancelRequest): Promise<CancelAnswer>;
}
