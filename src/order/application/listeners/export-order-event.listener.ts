import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { DataPlatformClient } from '../../infrastructure/data-platform.client';
import type { ExportedOrderEvent } from '../../infrastructure/data-platform.client';

const CONSUMER = 'data-platform-export';

/** After commit: every paid, cancelled and expired order reaches the data platform, at least once. */
@Injectable()
export class ExportOrderEventListener {
  constructor(private readonly dataPlatform: DataPlatformClient) {}

  @OnOutboxEvent('order.processed', CONSUMER)
  onPaid(event: ExportedOrderEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }

  @OnOutboxEvent('order.cancelled', CONSUMER)
  onCancelled(event: ExportedOrderEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }

  @OnOutboxEvent('order.expired', CONSUMER)
  onExpired(event: ExportedOrderEvent): Promise<void> {
    return this.dataPlatform.send(event);
  }
}
