import { Module } from '@nestjs/common';
import { ChargeBalanceUseCase } from './application/charge-balance.use-case';
import { GetBalanceUseCase } from './application/get-balance.use-case';
import { ListBalanceLogsUseCase } from './application/list-balance-logs.use-case';
import { DeductBalanceOnOrderPayment } from './application/listeners/deduct-balance.on-order-payment.in-transaction.listener';
import { RefundToBalanceOnRefundCompleting } from './application/listeners/refund-to-balance.on-refund-completing.in-transaction.listener';
import { BalanceStore } from './application/ports/balance-store.port';
import { BalanceRepository } from './infrastructure/balance.repository';
import { BalanceController } from './presentation/balance.controller';

@Module({
  controllers: [BalanceController],
  providers: [
    { provide: BalanceStore, useClass: BalanceRepository },
    GetBalanceUseCase,
    ChargeBalanceUseCase,
    ListBalanceLogsUseCase,
    DeductBalanceOnOrderPayment,
    RefundToBalanceOnRefundCompleting,
  ],
})
export class UserModule {}
