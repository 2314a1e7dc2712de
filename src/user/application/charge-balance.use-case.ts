import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { PinoLogger } from 'nestjs-pino';
import { assertChargeAmount } from '../domain/balance';
import { BalanceRepository } from '../infrastructure/balance.repository';

@Injectable()
export class ChargeBalanceUseCase {
  constructor(
    private readonly balances: BalanceRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ChargeBalanceUseCase.name);
  }

  /** The credit and its CHARGE log commit together, so the balance always equals the sum of its logs. */
  @Transactional()
  async execute(userId: number, amount: number): Promise<{ userId: number; balance: number }> {
    assertChargeAmount(amount);
    const balance = await this.balances.credit(userId, amount);
    await this.balances.appendLog(userId, { type: 'CHARGE', amount, balanceAfter: balance, orderId: null });
    this.logger.info({ amount, balance }, 'balance charged');
    return { userId, balance };
  }
}
