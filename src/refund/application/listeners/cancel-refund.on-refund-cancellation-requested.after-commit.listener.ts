import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { PaymentRefunds } from '../../../payment/application/payment-refunds.facade';
import { RefundCancellationRequestedEvent } from '../events/refund-cancellation-requested.event';
import { RefundStore } from '../ports/refund-store.port';
import { RefundSettlement } from '../refund-settlement';

export const REFUND_CANCELLATION_CONSUMER = 'refund-cancellation';

/**
 * After commit, when the request could not finish it: the gateway refund's amount is cancelled
 * at the gateway under the same Idempotency-Key the request used (the gateway replays what it
 * did), then the refund completes. A failure throws and the outbox retries with backoff; the last
 * failure dead-letters it, and the refund ends CANCEL_FAILED with its units released.
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
    const answer = await this.payments.cancelAtGateway({ paymentKey: event.paymentKey, reason: event.reason, amount: event.amount, idempotencyKey: event.eventId });
    if (answer.kind !== 'CANCELLED') throw new Error(`the gateway did not cancel refund ${event.refundId}: ${answer.reason}`);
    await this.settlement.complete(refund, event.eventId);
  }
}
