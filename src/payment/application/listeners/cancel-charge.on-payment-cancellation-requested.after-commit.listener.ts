import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { PaymentCancellationRequestedEvent } from '../events/payment-cancellation-requested.event';
import { GatewayChargeCancellation } from '../gateway-charge-cancellation';
import { PaymentGateway } from '../ports/payment-gateway.port';

export const GATEWAY_CANCELLATION_CONSUMER = 'gateway-cancellation';

/**
 * After commit: a charge that must not stand is cancelled at the gateway, with the event's id as
 * the cancellation's Idempotency-Key. A failure throws, so the outbox retries with backoff; the
 * last failure dead-letters it and the payment ends CANCEL_FAILED (mark-charge-cancel-failed).
 */
@Injectable()
export class CancelChargeOnPaymentCancellationRequested {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly cancellation: GatewayChargeCancellation,
  ) {}

  @OnOutboxEvent(PaymentCancellationRequestedEvent, GATEWAY_CANCELLATION_CONSUMER)
  async cancel(event: PaymentCancellationRequestedEvent): Promise<void> {
    const answer = await this.gateway.cancel({ paymentKey: event.paymentKey, reason: event.reason, idempotencyKey: event.eventId });
    if (answer.kind !== 'CANCELLED') throw new Error(`the gateway did not cancel payment ${event.paymentId}: ${answer.reason}`);
    await this.cancellation.cancelled(event.paymentId);
  }
}
