import { Injectable } from '@nestjs/common';
import { decodeCursor, pageOf } from '../../common/pagination/cursor';
import { BalanceLogRow, BalanceRepository } from '../infrastructure/balance.repository';

@Injectable()
export class ListBalanceLogsUseCase {
  constructor(private readonly balances: BalanceRepository) {}

  async execute(userId: number, limit: number, cursor?: string): Promise<{ items: BalanceLogRow[]; nextCursor: string | null }> {
    const beforeId = cursor ? decodeCursor(cursor) : null;
    return pageOf(await this.balances.listLogs(userId, limit, beforeId), limit);
  }
}
