import { Injectable } from '@nestjs/common';
import { OrderPayments } from '../../order/application/order-payments';
import { PaymentRepository, PaymentRow } from '../infrastructure/payment.repository';

@Injectable()
export class ListOrderPaymentsUseCase {
  constructor(
    private readonly orders: OrderPayments,
    private readonly payments: PaymentRepository,
  ) {}

  /** Every attempt to pay the user's order, oldest first; 404 ORDER_NOT_FOUND for anyone else's. */
  async execute(userId: number, orderId: number): Promise<PaymentRow[]> {
    await this.orders.assertOwner(userId, orderId);
    return this.payments.listForOrder(orderId);
  }
}
