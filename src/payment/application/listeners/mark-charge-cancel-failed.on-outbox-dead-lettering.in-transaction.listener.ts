import { Injectable } from '@nestjs/common';
import { OutboxDeadLetteringEvent } from '../../../common/events/outbox/outbox-dead-lettering.event';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import type { PaymentCancellationRequestedEvent } from '../events/payment-cancellation-requested.event';
import { GatewayChargeCancellation } from '../gateway-charge-cancellation';
import { GATEWAY_CANCELLATION_CONSUMER } from './cancel-charge.on-payment-cancellation-requested.after-commit.listener';

/** In the dead-lettering transaction: the last failed try of a charge's cancellation ends its payment CANCEL_FAILED, with an alert. */
@Injectable()
export class MarkChargeCancelFailedOnOutboxDeadLettering {
  constructor(private readonly cancellation: GatewayChargeCancellation) {}

  @OnSyncEvent(OutboxDeadLetteringEvent, 'payment.mark-charge-cancel-failed')
  async markFailed(dead: OutboxDeadLetteringEvent): Promise<void> {
    if (dead.consumer !== GATEWAY_CANCELLATION_CONSUMER) return;
    const { paymentId, paymentKey } = dead.payload as unknown as PaymentCancellationRequestedEvent;
    await this.cancellation.cancelFailed(paymentId, paymentKey, dead.lastError);
  }
}
