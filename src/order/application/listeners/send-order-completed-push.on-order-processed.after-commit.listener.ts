import { Inject, Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { OrderProcessedEvent } from '../events/order-processed.event';
import { NOTIFIER } from '../ports/notifier.port';
import type { Notifier } from '../ports/notifier.port';

export const ORDER_COMPLETED_PUSH_CONSUMER = 'order-completed-push';

/** After commit: the customer's "order completed" push (the original design's notification). */
@Injectable()
export class SendOrderCompletedPushOnOrderProcessed {
  constructor(@Inject(NOTIFIER) private readonly notifier: Notifier) {}

  @OnOutboxEvent(OrderProcessedEvent, ORDER_COMPLETED_PUSH_CONSUMER)
  onPaid(event: OrderProcessedEvent): Promise<void> {
    return this.notifier.orderCompleted({ eventId: event.eventId, userId: event.userId, orderId: event.orderId, finalAmount: event.finalAmount });
  }
}
