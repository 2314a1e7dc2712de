import { Inject, Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { NOTIFIER } from '../ports/notifier.port';
import type { Notifier, OrderCompletedNotice } from '../ports/notifier.port';

/** After commit: the customer's "order completed" push (the original design's notification). */
@Injectable()
export class SendOrderCompletedPushListener {
  constructor(@Inject(NOTIFIER) private readonly notifier: Notifier) {}

  @OnOutboxEvent('order.processed', 'order-completed-push')
  onPaid(event: OrderCompletedNotice): Promise<void> {
    return this.notifier.orderCompleted({ eventId: event.eventId, userId: event.userId, orderId: event.orderId, finalAmount: event.finalAmount });
  }
}
