import { Injectable } from '@nestjs/common';
import { DeliveryOutcomeUnknownError } from '../../../common/events/outbox/delivery-errors';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { PaymentCancellationRequestedEvent } from '../events/payment-cancellation-requested.event';
import { GatewayChargeCancellation } from '../gateway-charge-cancellation';
import { PaymentGateway } from '../ports/payment-gateway.port';

export const GATEWAY_CANCELLATION_CONSUMER = 'gateway-cancellation';

/**
 * After commit: a charge that must not stand is cancelled at the gateway, with the event's id as
 * the cancellation's Idempotency-Key. When the gateway does not confirm it, the charge is looked
 * up by its key before anything is declared: a cancel that landed after all (its answer lost)
 * completes the cancellation; one that did not throws, and the outbox retries with backoff until
 * the last failure ends the payment CANCEL_FAILED (mark-charge-cancel-failed); while the gateway
 * cannot even be asked, it is retried without end.
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
    if (answer.kind === 'CANCELLED') return this.cancellation.cancelled(event.paymentId, event.orderId, answer.payment?.lastTransactionKey ?? null);
    const lookup = await this.gateway.findByPaymentKey(event.paymentKey);
    if (lookup.kind === 'FOUND' && lookup.payment.status === 'CANCELED') {
      return this.cancellation.cancelled(event.paymentId, event.orderId, lookup.payment.cancels.at(-1)?.transactionKey ?? null);
    }
    const failure = `the gateway did not cancel payment ${event.paymentId}: ${answer.reason}`;
    if (lookup.kind === 'UNKNOWN') throw new DeliveryOutcomeUnknownError(`${failure}; and whether it did cannot be asked now (${lookup.reason})`);
    throw new Error(`${failure}; the gateway says it stands (${lookup.kind === 'FOUND' ? lookup.payment.status : 'no such payment'})`);
  }
}
