import { Injectable } from '@nestjs/common';
import { OutboxDeadLetteredEvent } from '../../../common/events/outbox/outbox-dead-lettered.event';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { CardPaymentSettlement } from '../card-payment-settlement';
import type { PaymentCancellationRequestedEvent } from '../events/payment-cancellation-requested.event';
import { GATEWAY_CANCELLATION_CONSUMER } from './cancel-at-gateway.listener';

/** In the dead-lettering transaction: the last failed try of a gateway cancellation ends the payment CANCEL_FAILED, with an alert. */
@Injectable()
export class OnCancellationDeadLetteredListener {
  constructor(private readonly settlement: CardPaymentSettlement) {}

  @OnSyncEvent(OutboxDeadLetteredEvent.NAME)
  async onDeadLettered(dead: OutboxDeadLetteredEvent): Promise<void> {
    if (dead.consumer !== GATEWAY_CANCELLATION_CONSUMER) return;
    const cancellation = dead.payload as unknown as PaymentCancellationRequestedEvent;
    await this.settlement.cancelFailed(cancellation.paymentId, dead.lastError);
  }
}
