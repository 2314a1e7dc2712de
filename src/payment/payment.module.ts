import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module';
import { CardPaymentReconcilerJob } from './application/card-payment-reconciler.job';
import { CardPaymentSettlement } from './application/card-payment-settlement';
import { GetPaymentUseCase } from './application/get-payment.use-case';
import { CancelAtGatewayListener } from './application/listeners/cancel-at-gateway.listener';
import { OnCancellationDeadLetteredListener } from './application/listeners/on-cancellation-dead-lettered.listener';
import { ListOrderPaymentsUseCase } from './application/list-order-payments.use-case';
import { PaymentOutcomes } from './application/payment-outcomes';
import { PAYMENT_GATEWAY } from './application/ports/payment-gateway.port';
import { ProcessCardPaymentUseCase } from './application/process-card-payment.use-case';
import { ProcessPaymentUseCase } from './application/process-payment.use-case';
import { ReconcileCardPaymentsUseCase } from './application/reconcile-card-payments.use-case';
import { RefundOrderUseCase } from './application/refund-order.use-case';
import { RefundSettlement } from './application/refund-settlement';
import { ListRefundsUseCase } from './application/list-refunds.use-case';
import { CancelRefundAtGatewayListener } from './application/listeners/cancel-refund-at-gateway.listener';
import { PaymentLock } from './infrastructure/payment-lock';
import { PaymentMetrics } from './infrastructure/payment.metrics';
import { PaymentRepository } from './infrastructure/payment.repository';
import { RefundRepository } from './infrastructure/refund.repository';
import { TossPaymentsGateway } from './infrastructure/toss-payments.gateway';
import { AdminRefundsController } from './presentation/admin-refunds.controller';
import { PaymentsController } from './presentation/payments.controller';

@Module({
  imports: [OrderModule],
  controllers: [PaymentsController, AdminRefundsController],
  providers: [
    PaymentLock,
    PaymentRepository,
    PaymentMetrics,
    PaymentOutcomes,
    { provide: PAYMENT_GATEWAY, useClass: TossPaymentsGateway },
    ProcessPaymentUseCase,
    ProcessCardPaymentUseCase,
    CardPaymentSettlement,
    ReconcileCardPaymentsUseCase,
    CardPaymentReconcilerJob,
    CancelAtGatewayListener,
    OnCancellationDeadLetteredListener,
    GetPaymentUseCase,
    ListOrderPaymentsUseCase,
    RefundRepository,
    RefundSettlement,
    RefundOrderUseCase,
    ListRefundsUseCase,
    CancelRefundAtGatewayListener,
  ],
})
export class PaymentModule {}
