import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module';
import { GetPaymentUseCase } from './application/get-payment.use-case';
import { ProcessPaymentUseCase } from './application/process-payment.use-case';
import { PaymentLock } from './infrastructure/payment-lock';
import { PaymentMetrics } from './infrastructure/payment.metrics';
import { PaymentRepository } from './infrastructure/payment.repository';
import { PaymentsController } from './presentation/payments.controller';

@Module({
  imports: [OrderModule],
  controllers: [PaymentsController],
  providers: [PaymentLock, PaymentRepository, PaymentMetrics, ProcessPaymentUseCase, GetPaymentUseCase],
})
export class PaymentModule {}
