import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { DataPlatform } from '../ports/data-platform.port';
import { OrderCancelledEvent } from '../events/order-cancelled.event';
import { OrderExpiredEvent } from '../events/order-expired.event';
import { OrderProcessedEvent } from '../events/order-processed.event';
import { OrderRefundedEvent } from '../events/order-refunded.event';

export const DATA_PLATFORM_EXPORT_CONSUMER = 'data-platform-export';

/**
 * After commit: every paid, cancelled, expired and refunded order reaches the data platform, at
 * least once. One consumer doing one thing for each of the order's events, so one file.
 */
@Injectable()
export class ExportToDataPlatformOnOrderEvents {
  constructor(private readonly dataPlatform: DataPlatform) {}

  @OnOutboxEvent(OrderProcessedEvent, DATA_PLATFORM_EXPORT_CONSUMER)
  onPaid(event: OrderProcessedEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }

  @OnOutboxEvent(OrderCancelledEvent, DATA_PLATFORM_EXPORT_CONSUMER)
  onCancelled(event: OrderCancelledEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }

  @OnOutboxEvent(OrderExpiredEvent, DATA_PLATFORM_EXPORT_CONSUMER)
  onExpired(event: OrderExpiredEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }

  @OnOutboxEvent(OrderRefundedEvent, DATA_PLATFORM_EXPORT_CONSUMER)
  onRefunded(event: OrderRefundedEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }
}
