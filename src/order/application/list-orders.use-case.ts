import { Injectable } from '@nestjs/common';
import { OrderStatus } from '../domain/order';
import { OrderRepository, OrderWithItems } from '../infrastructure/order.repository';

@Injectable()
export class ListOrdersUseCase {
  constructor(private readonly orders: OrderRepository) {}

  execute(userId: number, query: { status?: OrderStatus; page: number; size: number }): Promise<{ items: OrderWithItems[]; total: number }> {
    return this.orders.listForUser(userId, query.status, query.page, query.size);
  }
}
