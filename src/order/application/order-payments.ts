import { Injectable } from '@nestjs/common';
import { OrderNotFoundError, OrderNotPayableError } from '../domain/order.errors';
import { OrderRepository, OrderWithItems } from '../infrastructure/order.repository';
import { orderSnapshot } from './events/order-snapshot';

export interface ClaimedOrder {
  order: OrderWithItems;
  /** What order.processed carries to after-commit consumers (the data-platform body). */
  paidEvent: ReturnType<typeof orderSnapshot>;
}

/**
 * The order module's facade for the payment flow. `claim` is the first step inside the
 * payment transaction (DESIGN.md): it must run before anything else and hand the order back,
 * which is why it is a call and not an event.
 */
@Injectable()
export class OrderPayments {
  constructor(private readonly orders: OrderRepository) {}

  /** PENDING → PAID for its owner, or 404 ORDER_NOT_FOUND / 409 ORDER_NOT_PAYABLE. Rolls back with the caller. */
  async claim(userId: number, orderId: number): Promise<ClaimedOrder> {
    const order = await this.orders.markPaid(userId, orderId);
    if (!order) {
      const existing = await this.orders.findForUser(userId, orderId);
      if (!existing) throw new OrderNotFoundError();
      throw new OrderNotPayableError(existing.status === 'PENDING' ? 'it has expired' : `it is ${existing.status}`);
    }
    return { order, paidEvent: { ...orderSnapshot(order, 'ORDER_PAID'), occurredAt: order.paidAt!.toISOString() } };
  }
}
