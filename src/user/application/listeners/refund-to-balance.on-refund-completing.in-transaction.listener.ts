import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { RefundCompletingEvent } from '../../../refund/application/events/refund-completing.event';
import { BalanceStore } from '../ports/balance-store.port';

/** In the refund's transaction: an order paid from the balance gets its amount back, with a REFUND log naming it. */
@Injectable()
export class RefundToBalanceOnRefundCompleting {
  constructor(private readonly balances: BalanceStore) {}

  @OnSyncEvent(RefundCompletingEvent, 'user.refund-to-balance')
  async refund(event: RefundCompletingEvent): Promise<void> {
    if (event.method !== 'BALANCE' || event.amount === 0) return;
    await this.balances.creditForRefund(event.userId, event.amount, event.orderId);
  }
}
