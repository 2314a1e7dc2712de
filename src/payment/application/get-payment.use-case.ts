import { Injectable } from '@nestjs/common';
import { PaymentNotFoundError } from '../domain/payment.errors';
import { PaymentRepository, PaymentRow } from '../infrastructure/payment.repository';

@Injectable()
export class GetPaymentUseCase {
  constructor(private readonly payments: PaymentRepository) {}

  async execute(userId: number, paymentId: number): Promise<PaymentRow> {
    const payment = await this.payments.findForUser(userId, paymentId);
    if (!payment) throw new PaymentNotFoundError();
    return payment;
  }
}
