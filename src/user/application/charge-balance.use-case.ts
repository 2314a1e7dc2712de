import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { MAX_BALANCE, assertChargeAmount } from '../domain/balance';
import { BalanceLimitExceededError } from '../domain/balance.errors';
import { BalanceStore } from './ports/balance-store.port';

@Injectable()
export class ChargeBalanceUseCase {
  constructor(
    private readonly balances: BalanceStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ChargeBalanceUseCase.name);
  }

  /**
   * The credit and its CHARGE log commit together, so the balance always equals the sum of its
   * logs; a charge that would take the balance past MAX_BALANCE changes nothing (409).
   */
  async execute(userId: number, amount: number): Promise<{ userId: number; balance: number }> {
    assertChargeAmount(amount);
    const charged = await this.unitOfWork.run(async () => {
      const balance = await this.balances.credit(userId, amount, MAX_BALANCE);
      if (balance === null) throw new BalanceLimitExceededError(MAX_BALANCE);
      await this.balances.appendLog(userId, { type: 'CHARGE', amount, balanceAfter: balance, orderId: null });
      return { userId, balance };
    });
    this.logger.info({ amount, balance: charged.balance }, 'balance charged');
    return charged;
  }
}
