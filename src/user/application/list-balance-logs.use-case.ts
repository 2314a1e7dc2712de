import { Injectable } from '@nestjs/common';
import { decodeCursor, pageOf } from '../../common/pagination/cursor';
import { BalanceLogRecord, BalanceStore } from './ports/balance-store.port';

@Injectable()
export class ListBalanceLogsUseCase {
  constructor(private readonly balances: BalanceStore) {}

  async execute(userId: number, limit: number, cursor?: string): Promise<{ items: BalanceLogRecord[]; nextCursor: string | null }> {
    const beforeId = cursor ? decodeCursor(cursor) : null;
    return pageOf(await this.balances.listLogs(userId, limit, beforeId), limit);
  }
}
