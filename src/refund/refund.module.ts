import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module';
import { PaymentModule } from '../payment/payment.module';
import { ListRefundsUseCase } from './application/list-refunds.use-case';
import { AccountForCancelsOnGatewayCancelsReported } from './application/listeners/account-for-cancels.on-gateway-cancels-reported.after-commit.listener';
import { CancelRefundOnRefundCancellationRequested } from './application/listeners/cancel-refund.on-refund-cancellation-requested.after-commit.listener';
import { MarkRefundCancelFailedOnOutboxDeadLettering } from './application/listeners/mark-refund-cancel-failed.on-outbox-dead-lettering.in-transaction.listener';
import { RefundStore } from './application/ports/refund-store.port';
import { RefundBooks } from './application/refund-books.facade';
import { RefundOrderUseCase } from './application/refund-order.use-case';
import { RefundSettlement } from './application/refund-settlement';
import { RefundRepository } from './infrastructure/refund.repository';
import { AdminRefundsController } from './presentation/admin-refunds.controller';
import { RefundMetrics } from './refund.metrics';

@Module({
  imports: [OrderModule, PaymentModule],
  controllers: [AdminRefundsController],
  exports: [RefundBooks],
  providers: [
    { provide: RefundStore, useClass: RefundRepository },
    RefundMetrics,
    RefundSettlement,
    RefundOrderUseCase,
    ListRefundsUseCase,
    CancelRefundOnRefundCancellationRequested,
    MarkRefundCancelFailedOnOutboxDeadLettering,
    AccountForCancelsOnGatewayCancelsReported,
    RefundBooks,
  ],
})
export class RefundModule {}
