import { Injectable } from '@nestjs/common';
import { OutboxDeadLetteredEvent } from '../../../common/events/outbox/outbox-dead-lettered.event';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { CardPaymentSettlement } from '../card-payment-settlement';
import type { PaymentCancellationRequestedEvent } from '../events/payment-cancellation-requested.event';
import type { RefundCancellationRequestedEvent } from '../events/refund-cancellation-requested.event';
import { RefundSettlement } from '../refund-settlement';
import { GATEWAY_CANCELLATION_CONSUMER } from './cancel-at-gateway.listener';
import { REFUND_CANCELLATION_CONSUMER } from './cancel-refund-at-gateway.listener';

/**
 * In the dead-lettering transaction: the last failed try of a gateway cancellation ends its
 * payment or refund CANCEL_FAILED, with an alert.
 */
@Injectable()
export class OnCancellationDeadLetteredListener {
  constructor(
    private readonly payments: CardPaymentSettlement,
    private readonly refunds: RefundSettlement,
  ) {}

  @OnSyncEvent(OutboxDeadLetteredEvent.NAME)
  async onDeadLettered(dead: OutboxDeadLetteredEvent): Promise<void> {
    if (dead.consumer === GATEWAY_CANCELLATION_CONSUMER) {
      await this.payments.cancelFailed((dead.payload as unknown as PaymentCancellationRequestedEvent).paymentId, dead.lastError);
    } else if (dead.consumer === REFUND_CANCELLATION_CONSUMER) {
      await this.refunds.cancelFailed((dead.payload as unknown as RefundCancellationRequestedEvent).refundId, dead.lastError);
    }
  }
}
