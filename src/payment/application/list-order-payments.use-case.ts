import { Injectable } from '@nestjs/common';
import { OrderPayments } from '../../order/application/order-payments.facade';
import type { Payment } from '../domain/payment';
import { PaymentStore } from './ports/payment-store.port';

@Injectable()
export class ListOrderPaymentsUseCase {
  constructor(
    private readonly orders: OrderPayments,
    private readonly payments: PaymentStore,
  ) {}

  /** Every attempt to pay the user's order, oldest first; 404 ORDER_NOT_FOUND for anyone else's. */
  async execute(userId: number, orderId: number): Promise<Payment[]> {
    await this.orders.assertOwner(userId, orderId);
    return this.payments.listForOrder(orderId);
  }
}
