import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import type { OutboxSubscriptionOptions } from '../../../common/events/outbox/on-outbox-event.decorator';
import { OrderCancelledEvent } from '../../../order/application/events/order-cancelled.event';
import { OrderExpiredEvent } from '../../../order/application/events/order-expired.event';
import { OrderProcessedEvent } from '../../../order/application/events/order-processed.event';
import { OrderRefundedEvent } from '../../../order/application/events/order-refunded.event';
import { PaymentFailedEvent } from '../../../payment/application/events/payment-failed.event';
import { eventLogMessage, LoggableEvent } from '../../domain/event-log-message';
import { EVENT_LOG_CONSUMER } from '../event-log.consumer';
import { EventLogPublisher } from '../ports/event-log-publisher.port';

/**
 * Each order's events reach the stream in commit order, also with several instances relaying.
 * Never dead-lettered: a parked event would hold back its order's later events for good, and
 * the stream is expected back; the lag shows in event_log_lag_seconds meanwhile.
 */
const IN_ORDER_UNTIL_PUBLISHED: OutboxSubscriptionOptions = { orderedByAggregate: true, neverDeadLetter: true };

/**
 * After commit: every event of the contract's event log (API.md) is published to the stream,
 * at least once, on the subject its event type maps to (SUBJECT_KINDS). A new event type is one
 * more subscription here, and its schema in event-log.asyncapi.json.
 */
@Injectable()
export class PublishToEventLogOnOrderAndPaymentEvents {
  constructor(private readonly eventLog: EventLogPublisher) {}

  @OnOutboxEvent(OrderProcessedEvent, EVENT_LOG_CONSUMER, IN_ORDER_UNTIL_PUBLISHED)
  onPaid(event: OrderProcessedEvent): Promise<void> {
    return this.publish(event);
  }

  @OnOutboxEvent(OrderCancelledEvent, EVENT_LOG_CONSUMER, IN_ORDER_UNTIL_PUBLISHED)
  onCancelled(event: OrderCancelledEvent): Promise<void> {
    return this.publish(event);
  }

  @OnOutboxEvent(OrderExpiredEvent, EVENT_LOG_CONSUMER, IN_ORDER_UNTIL_PUBLISHED)
  onExpired(event: OrderExpiredEvent): Promise<void> {
    return this.publish(event);
  }

  @OnOutboxEvent(OrderRefundedEvent, EVENT_LOG_CONSUMER, IN_ORDER_UNTIL_PUBLISHED)
  onRefunded(event: OrderRefundedEvent): Promise<void> {
    return this.publish(event);
  }

  @OnOutboxEvent(PaymentFailedEvent, EVENT_LOG_CONSUMER, IN_ORDER_UNTIL_PUBLISHED)
  onPaymentFailed(event: PaymentFailedEvent): Promise<void> {
    return this.publish(event);
  }

  private publish(event: LoggableEvent): Promise<void> {
    return this.eventLog.publish(eventLogMessage(event));
  }
}
