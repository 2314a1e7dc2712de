import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { GatewayPayment } from '../domain/gateway-answers';
import type { GatewayAttempt } from '../domain/payment';
import { PayThroughGatewayUseCase, Settlement } from './pay-through-gateway.use-case';
import { PaymentGateway } from './ports/payment-gateway.port';

/** How closing a virtual account ended. */
export type AccountClosing =
  /** Closed at the gateway unpaid: the attempt CANCELLED or FAILED, the order CANCELLED or EXPIRED, what it held released. */
  | { kind: 'CLOSED'; settlement: Settlement }
  /** The money came first: the order is paid (or was settled otherwise meanwhile). */
  | { kind: 'PAID'; settlement: Settlement }
  /** The gateway could not be asked, or did not say: nothing changed. */
  | { kind: 'UNKNOWN'; reason: string };

/** One body for every close of an account, so the customer's cancel and the due date share one Idempotency-Key. */
const CLOSE_REASON = 'virtual account closed before a deposit';

/**
 * Closes a virtual account waiting for its deposit (the customer's cancel, or its due date):
 * at the gateway first, and only once the gateway confirms is anything released. A deposit that
 * arrived meanwhile makes the gateway refuse the close (it cannot give money back without an
 * account to send it to), and a read of the payment then finds it DONE: the order is paid
 * instead, through the same settlement as every deposit. No lock or transaction is held while
 * the gateway is asked; the settlement itself is guarded by the attempt's status, so a close
 * racing a deposit ends one way only.
 */
@Injectable()
export class CloseVirtualAccountUseCase {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly gatewayPayments: PayThroughGatewayUseCase,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CloseVirtualAccountUseCase.name);
  }

  async execute(attempt: GatewayAttempt, to: 'CANCELLED' | 'EXPIRED'): Promise<AccountClosing> {
    const answer = await this.gateway.cancel({ paymentKey: attempt.paymentKey, reason: CLOSE_REASON, idempotencyKey: `${attempt.gatewayKey}:close` });
    if (answer.kind === 'CANCELLED' && answer.payment) return this.closed(attempt, to, answer.payment);
    // Closed by an earlier try whose answer was lost, or refused: only the payment itself says which.
    const lookup = await this.gateway.findByPaymentKey(attempt.paymentKey);
    if (lookup.kind === 'UNKNOWN') return this.unknown(attempt, to, answer.kind === 'FAILED' ? answer.reason : lookup.reason);
    if (lookup.kind === 'FOUND' && lookup.payment.status === 'CANCELED') return this.closed(attempt, to, lookup.payment);
    const settlement = await this.gatewayPayments.settleByLookup(attempt, lookup);
    if (settlement.kind === 'PAID' || settlement.payment.status === 'COMPLETED') {
      this.logger.info({ orderId: attempt.orderId, paymentId: attempt.id, closing: to }, 'virtual account paid into before it could be closed: the order is paid instead');
      return { kind: 'PAID', settlement };
    }
    if (settlement.kind === 'CLOSED') return { kind: 'CLOSED', settlement };
    return this.unknown(attempt, to, answer.kind === 'FAILED' ? answer.reason : `the gateway says ${lookup.kind === 'FOUND' ? lookup.payment.status : lookup.kind}`);
  }

  private async closed(attempt: GatewayAttempt, to: 'CANCELLED' | 'EXPIRED', payment: GatewayPayment): Promise<AccountClosing> {
    const transactionKey = payment.cancels.at(-1)?.transactionKey ?? null;
    const settlement = await this.gatewayPayments.releaseDeposit(attempt, to, transactionKey);
    this.logger.info({ orderId: attempt.orderId, paymentId: attempt.id, to, settlement: settlement.kind }, 'virtual account closed at the gateway unpaid');
    return { kind: 'CLOSED', settlement };
  }

  private unknown(attempt: GatewayAttempt, to: 'CANCELLED' | 'EXPIRED', reason: string): AccountClosing {
    this.logger.warn({ orderId: attempt.orderId, paymentId: attempt.id, closing: to, reason }, 'virtual account could not be closed at the gateway now: nothing changed');
    return { kind: 'UNKNOWN', reason };
  }
}
