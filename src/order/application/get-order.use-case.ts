import { Injectable } from '@nestjs/common';
import { OrderNotFoundError } from '../domain/order.errors';
import { OrderRepository, OrderWithItems } from '../infrastructure/order.repository';

@Injectable()
export class GetOrderUseCase {
  constructor(private readonly orders: OrderRepository) {}

  /** Another user's order answers exactly like a missing one. */
  async execute(userId: number, orderId: number): Promise<OrderWithItems> {
    const order = await this.orders.findForUser(userId, orderId);
    if (!order) throw new OrderNotFoundError();
    return order;
  }
}
