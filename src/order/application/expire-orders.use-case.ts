import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { PinoLogger } from 'nestjs-pino';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderMetrics } from '../order.metrics';
import { OrderStore } from './ports/order-store.port';
import { OrderReleasingEvent, releasedOrder } from './events/order-releasing.event';
import { OrderExpiredEvent } from './events/order-expired.event';

@Injectable()
export class ExpireOrdersUseCase {
  constructor(
    private readonly orders: OrderStore,
    private readonly events: SyncEventPublisher,
    private readonly outbox: OutboxWriter,
    private readonly logger: PinoLogger,
    private readonly metrics: OrderMetrics,
  ) {
    this.logger.setContext(ExpireOrdersUseCase.name);
  }

  /** Expires overdue orders batch by batch, each batch its own short transaction. */
  async execute(batchSize: number): Promise<{ expired: number; batches: number }> {
    let expired = 0;
    let batches = 0;
    for (;;) {
      const count = await this.expireBatch(batchSize);
      if (count === 0) break;
      // Per committed batch: a later batch that fails does not un-release these.
      this.metrics.expiries.inc(count);
      expired += count;
      batches++;
      if (count < batchSize) break;
    }
    if (expired > 0) this.logger.info({ expired, batches }, 'unpaid orders expired; reservations released');
    return { expired, batches };
  }

  @Transactional()
  private async expireBatch(batchSize: number): Promise<number> {
    const orders = await this.orders.withItems(await this.orders.expireDue(batchSize));
    if (orders.length === 0) return 0;
    await this.events.publish(new OrderReleasingEvent('EXPIRED', orders.map(releasedOrder)));
    const expiredAt = new Date();
    await this.outbox.addMany(orders.map((o) => ({ event: new OrderExpiredEvent(o, expiredAt), aggregateId: o.id })));
    return orders.length;
  }
}
