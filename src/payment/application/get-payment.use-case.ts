import { Injectable } from '@nestjs/common';
import { PaymentNotFoundError } from '../domain/payment.errors';
import type { Payment } from '../domain/payment';
import { PaymentStore } from './ports/payment-store.port';

@Injectable()
export class GetPaymentUseCase {
  constructor(private readonly payments: PaymentStore) {}

  async execute(userId: number, paymentId: number): Promise<Payment> {
    const payment = await this.payments.findForUser(userId, paymentId);
    if (!payment) throw new PaymentNotFoundError();
    return payment;
  }
}
