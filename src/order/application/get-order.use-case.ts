import { Injectable } from '@nestjs/common';
import { OrderNotFoundError } from '../domain/order.errors';
import { OrderStore, OrderWithItems } from './ports/order-store.port';

@Injectable()
export class GetOrderUseCase {
  constructor(private readonly orders: OrderStore) {}

  /** Another user's order answers exactly like a missing one. */
  async execute(userId: number, orderId: number): Promise<OrderWithItems> {
    const order = await this.orders.findForUser(userId, orderId);
    if (!order) throw new OrderNotFoundError();
    return order;
  }
}
