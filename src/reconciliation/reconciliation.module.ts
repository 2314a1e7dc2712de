import { Module } from '@nestjs/common';
import { PaymentModule } from '../payment/payment.module';
import { RefundModule } from '../refund/refund.module';
import { DailyReconciliationJob } from './application/daily-reconciliation.job';
import { GetReconciliationUseCase } from './application/get-reconciliation.use-case';
import { ReconciliationStore } from './application/ports/reconciliation-store.port';
import { RunReconciliationUseCase } from './application/run-reconciliation.use-case';
import { ReconciliationRepository } from './infrastructure/reconciliation.repository';
import { AdminReconciliationsController } from './presentation/admin-reconciliations.controller';
import { ReconciliationMetrics } from './reconciliation.metrics';

@Module({
  imports: [PaymentModule, RefundModule],
  controllers: [AdminReconciliationsController],
  providers: [{ provide: ReconciliationStore, useClass: ReconciliationRepository }, ReconciliationMetrics, RunReconciliationUseCase, GetReconciliationUseCase, DailyReconciliationJob],
})
export class ReconciliationModule {}
