import { Module } from '@nestjs/common';
import { OnOrderRefundListener } from './application/listeners/on-order-refund.listener';
import { ChargeBalanceUseCase } from './application/charge-balance.use-case';
import { GetBalanceUseCase } from './application/get-balance.use-case';
import { ListBalanceLogsUseCase } from './application/list-balance-logs.use-case';
import { OnOrderPaymentListener } from './application/listeners/on-order-payment.listener';
import { BalanceRepository } from './infrastructure/balance.repository';
import { BalanceController } from './presentation/balance.controller';

@Module({
  controllers: [BalanceController],
  providers: [
    BalanceRepository,
    GetBalanceUseCase,
    ChargeBalanceUseCase,
    ListBalanceLogsUseCase,
    OnOrderPaymentListener,
    OnOrderRefundListener,
  ],
})
export class UserModule {}
