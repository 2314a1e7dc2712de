import { Injectable } from '@nestjs/common';
import { OrderRefunds } from '../../order/application/order-refunds';
import { RefundRepository, RefundRow } from '../infrastructure/refund.repository';

@Injectable()
export class ListRefundsUseCase {
  constructor(
    private readonly orders: OrderRefunds,
    private readonly refunds: RefundRepository,
  ) {}

  /** Every refund of the order, oldest first; 404 ORDER_NOT_FOUND when there is no such order. */
  async execute(orderId: number): Promise<RefundRow[]> {
    await this.orders.assertExists(orderId);
    return this.refunds.listForOrder(orderId);
  }
}
