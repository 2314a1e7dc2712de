import { Injectable } from '@nestjs/common';
import type { PaymentMethod } from '../domain/payment';
import { PaymentGateway } from './ports/payment-gateway.port';
import { PaymentStore } from './ports/payment-store.port';
import { PaymentMetrics } from '../payment.metrics';
import { PaymentSettings } from '../payment.settings';

/** The payment that paid an order, as a refund needs it. */
export interface PaidPayment {
  paymentId: number;
  method: PaymentMethod;
  /** The gateway's key of the charge; null for a balance payment. */
  paymentKey: string | null;
}

export interface GatewayRefundRequest {
  paymentKey: string;
  reason: string;
  /** Won to give back. */
  amount: number;
  /** One per refund, the same on every retry of it. */
  idempotencyKey: string;
  /** A virtual account's deposit goes back to this account, passed on as is. */
  refundReceiveAccount?: { bank: string; accountNumber: string; holderName: string };
}

/** Done, with the gateway's key of the cancel when it gave one; or not done, as far as the answer says. */
export type GatewayRefundAnswer = { kind: 'CANCELLED'; transactionKey: string | null } | { kind: 'FAILED'; reason: string };

/** A cancel of the payment at the gateway, as its lookup lists it. */
export interface GatewayCancelOfPayment {
  transactionKey: string;
  amount: number;
}

export type GatewayCancelsAnswer = { kind: 'LISTED'; cancels: GatewayCancelOfPayment[] } | { kind: 'UNKNOWN'; reason: string };

/** The payment module's facade for refunds: which payment paid an order, and giving won back at the gateway. */
@Injectable()
export class PaymentRefunds {
  constructor(
    private readonly payments: PaymentStore,
    private readonly gateway: PaymentGateway,
    private readonly settings: PaymentSettings,
    private readonly metrics: PaymentMetrics,
  ) {}

  /** How long one gateway call may take (PG_TIMEOUT_MS): a refund's retry is due only once the request had the time to cancel it itself. */
  get gatewayTimeoutMs(): number {
    return this.settings.PG_TIMEOUT_MS;
  }

  /** The one COMPLETED payment of the order; null when it has none. */
  async paymentOf(orderId: number): Promise<PaidPayment | null> {
    const payment = await this.payments.completedOf(orderId);
    return payment && { paymentId: payment.id, method: payment.method, paymentKey: payment.paymentKey };
  }

  /**
   * Cancels `amount` of the charge at the gateway. A refund of 0 won (free units, or units whose
   * share of a discount rounds to nothing) has nothing to give back there, and the gateway
   * refuses a `cancelAmount` of 0: it is done without a call.
   */
  /** A refund's cancel at the gateway failed for good (CANCEL_FAILED): counted with the gateway's other cancellations that did. */
  cancellationFailedForGood(): void {
    this.metrics.cancellationsFailed.inc();
  }

  async cancelAtGateway({ paymentKey, reason, amount, idempotencyKey, refundReceiveAccount }: GatewayRefundRequest): Promise<GatewayRefundAnswer> {
    if (amount === 0) return { kind: 'CANCELLED', transactionKey: null };
    const answer = await this.gateway.cancel({ paymentKey, reason, amount, idempotencyKey, refundReceiveAccount });
    // Toss's answer is the payment after the cancel: its last transaction is this cancel.
    return answer.kind === 'CANCELLED' ? { kind: 'CANCELLED', transactionKey: answer.payment?.lastTransactionKey ?? null } : { kind: 'FAILED', reason: answer.reason };
  }

  /** Every cancel the gateway made of the charge, whoever asked for it: before a refund is declared failed, the gateway is asked. */
  async cancelsAtGateway(paymentKey: string): Promise<GatewayCancelsAnswer> {
    const lookup = await this.gateway.findByPaymentKey(paymentKey);
    if (lookup.kind === 'UNKNOWN') return { kind: 'UNKNOWN', reason: lookup.reason };
    if (lookup.kind === 'NOT_FOUND') return { kind: 'LISTED', cancels: [] };
    return { kind: 'LISTED', cancels: lookup.payment.cancels.map((c) => ({ transactionKey: c.transactionKey, amount: c.cancelAmount })) };
  }
}
