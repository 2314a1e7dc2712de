import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderNotCancellableError, OrderNotFoundError } from '../domain/order.errors';
import { OrderStore, OrderWithItems } from './ports/order-store.port';
import { OrderClosingAccountEvent } from './events/order-closing-account.event';
import { OrderReleasingEvent, releasedOrder } from './events/order-releasing.event';
import { OrderCancelledEvent } from './events/order-cancelled.event';

/**
 * POST /orders/:id/cancel. A PENDING order: the status change, the release of its stock and the
 * order.cancelled record commit together. An order waiting for its virtual account's deposit:
 * the account is closed at the gateway first, outside any transaction (order.closing-account),
 * and the order is released only once the gateway confirms; if the money came first it is paid
 * instead, and the cancel answers 409.
 */
@Injectable()
export class CancelOrderUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderStore,
    private readonly events: SyncEventPublisher,
    private readonly outbox: OutboxWriter,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(CancelOrderUseCase.name);
  }

  async execute(userId: number, orderId: number): Promise<OrderWithItems> {
    this.logContext.assign({ orderId });
    const cancelled = await this.unitOfWork.run(() => this.cancelPending(userId, orderId));
    if (cancelled) return cancelled;
    const existing = await this.orders.findForUser(userId, orderId);
    if (!existing) throw new OrderNotFoundError();
    if (existing.status !== 'AWAITING_DEPOSIT') throw new OrderNotCancellableError(existing.status);
    await this.events.publish(new OrderClosingAccountEvent(orderId));
    const closed = (await this.orders.findForUser(userId, orderId))!;
    if (closed.status !== 'CANCELLED') throw new OrderNotCancellableError(closed.status);
    this.logger.info({ orderId }, 'order cancelled once its virtual account was closed at the gateway; reservation released');
    return closed;
  }

  private async cancelPending(userId: number, orderId: number): Promise<OrderWithItems | null> {
    const cancelled = await this.orders.cancelPending(userId, orderId);
    if (!cancelled) return null;
    const [order] = await this.orders.withItems([cancelled]);
    await this.events.publish(new OrderReleasingEvent('CANCELLED', [releasedOrder(order)]));
    await this.outbox.add(new OrderCancelledEvent(order, new Date()), order.id);
    this.logger.info({ orderId }, 'order cancelled; reservation released');
    return order;
  }
}
