import { Injectable } from '@nestjs/common';
import { BalanceStore } from './ports/balance-store.port';

@Injectable()
export class GetBalanceUseCase {
  constructor(private readonly balances: BalanceStore) {}

  /** A user who never charged exists with a balance of 0 (API.md: users exist from first request). */
  async execute(userId: number): Promise<{ userId: number; balance: number }> {
    return { userId, balance: (await this.balances.find(userId)) ?? 0 };
  }
}
