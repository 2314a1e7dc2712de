import { Injectable } from '@nestjs/common';
import { OutboxDeadLetteringEvent } from '../../../common/events/outbox/outbox-dead-lettering.event';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import type { RefundCancellationRequestedEvent } from '../events/refund-cancellation-requested.event';
import { RefundSettlement } from '../refund-settlement';
import { REFUND_CANCELLATION_CONSUMER } from './cancel-refund.on-refund-cancellation-requested.after-commit.listener';

/** In the dead-lettering transaction: the last failed try of a refund's gateway cancel ends it CANCEL_FAILED, its units released, with an alert. */
@Injectable()
export class MarkRefundCancelFailedOnOutboxDeadLettering {
  constructor(private readonly settlement: RefundSettlement) {}

  @OnSyncEvent(OutboxDeadLetteringEvent, 'refund.mark-refund-cancel-failed')
  async markFailed(dead: OutboxDeadLetteringEvent): Promise<void> {
    if (dead.consumer !== REFUND_CANCELLATION_CONSUMER) return;
    await this.settlement.cancelFailed((dead.payload as unknown as RefundCancellationRequestedEvent).refundId, dead.lastError);
  }
}
