import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { PinoLogger } from 'nestjs-pino';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderNotCancellableError, OrderNotFoundError } from '../domain/order.errors';
import { OrderStore, OrderWithItems } from './ports/order-store.port';
import { OrderReleasingEvent, releasedOrder } from './events/order-releasing.event';
import { OrderCancelledEvent } from './events/order-cancelled.event';

@Injectable()
export class CancelOrderUseCase {
  constructor(
    private readonly orders: OrderStore,
    private readonly events: SyncEventPublisher,
    private readonly outbox: OutboxWriter,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(CancelOrderUseCase.name);
  }

  /** The status change, the release of its stock and the order.cancelled record commit together. */
  @Transactional()
  async execute(userId: number, orderId: number): Promise<OrderWithItems> {
    this.logContext.assign({ orderId });
    const cancelled = await this.orders.cancelPending(userId, orderId);
    if (!cancelled) {
      const existing = await this.orders.findForUser(userId, orderId);
      throw existing ? new OrderNotCancellableError(existing.status) : new OrderNotFoundError();
    }
    const [order] = await this.orders.withItems([cancelled]);
    await this.events.publish(new OrderReleasingEvent('CANCELLED', [releasedOrder(order)]));
    await this.outbox.add(new OrderCancelledEvent(order, new Date()), order.id);
    this.logger.info({ orderId }, 'order cancelled; reservation released');
    return order;
  }
}
