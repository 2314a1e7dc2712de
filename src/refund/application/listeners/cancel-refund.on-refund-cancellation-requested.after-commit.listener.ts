import { Injectable } from '@nestjs/common';
import { DeliveryOutcomeUnknownError } from '../../../common/events/outbox/delivery-errors';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { PaymentRefunds } from '../../../payment/application/payment-refunds.facade';
import { RefundCancellationRequestedEvent } from '../events/refund-cancellation-requested.event';
import { RefundStore } from '../ports/refund-store.port';
import { RefundSettlement } from '../refund-settlement';

export const REFUND_CANCELLATION_CONSUMER = 'refund-cancellation';

/**
 * After commit, when the request could not finish it: the refund's amount is cancelled at the
 * gateway under the same Idempotency-Key the request used (the gateway replays what it did),
 * then the refund completes. When the gateway does not confirm, it is asked for the payment's
 * cancels before anything is declared: one that landed (its answer lost) completes the refund;
 * none throws, and the outbox retries with backoff until the last failure ends the refund
 * CANCEL_FAILED with its units released; while the gateway cannot even be asked, it is retried
 * without end, since units released then could be refunded twice.
 */
@Injectable()
export class CancelRefundOnRefundCancellationRequested {
  constructor(
    private readonly payments: PaymentRefunds,
    private readonly refunds: RefundStore,
    private readonly settlement: RefundSettlement,
  ) {}

  @OnOutboxEvent(RefundCancellationRequestedEvent, REFUND_CANCELLATION_CONSUMER)
  async cancel(event: RefundCancellationRequestedEvent): Promise<void> {
    const refund = await this.refunds.find(event.refundId);
    if (refund?.status !== 'PROCESSING') return;
    const answer = await this.payments.cancelAtGateway({
      paymentKey: event.paymentKey,
      reason: event.reason,
      amount: event.amount,
      idempotencyKey: event.eventId,
      refundReceiveAccount: event.refundReceiveAccount ?? undefined,
    });
    if (answer.kind === 'CANCELLED') {
      await this.settlement.complete(refund, event, answer.transactionKey);
      return;
    }
    const failure = `the gateway did not cancel refund ${event.refundId}: ${answer.reason}`;
    const cancels = await this.payments.cancelsAtGateway(event.paymentKey);
    if (cancels.kind === 'UNKNOWN') throw new DeliveryOutcomeUnknownError(`${failure}; and whether it did cannot be asked now (${cancels.reason})`);
    const paid = await this.payments.paymentOf(event.orderId);
    if (paid) await this.settlement.account({ paymentId: paid.paymentId, orderId: event.orderId }, cancels.cancels);
    if ((await this.refunds.find(event.refundId))?.status === 'PROCESSING') throw new Error(`${failure}; its cancels show no cancel of it`);
  }
}
