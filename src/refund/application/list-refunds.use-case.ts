import { Injectable } from '@nestjs/common';
import { OrderRefunds } from '../../order/application/order-refunds.facade';
import type { Refund } from '../domain/refund';
import { RefundStore } from './ports/refund-store.port';

@Injectable()
export class ListRefundsUseCase {
  constructor(
    private readonly orders: OrderRefunds,
    private readonly refunds: RefundStore,
  ) {}

  /** Every refund of the order, oldest first; 404 ORDER_NOT_FOUND when there is no such order. */
  async execute(orderId: number): Promise<Refund[]> {
    await this.orders.assertExists(orderId);
    return this.refunds.listForOrder(orderId);
  }
}
