import { Injectable } from '@nestjs/common';
import { OrderStatus } from '../domain/order-status';
import { OrderStore, OrderWithItems } from './ports/order-store.port';

@Injectable()
export class ListOrdersUseCase {
  constructor(private readonly orders: OrderStore) {}

  execute(userId: number, query: { status?: OrderStatus; page: number; size: number }): Promise<{ items: OrderWithItems[]; total: number }> {
    return this.orders.listForUser(userId, query.status, query.page, query.size);
  }
}
