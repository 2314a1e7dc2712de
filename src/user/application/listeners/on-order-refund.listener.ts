import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderRefundEvent } from '../../../payment/application/events/order-refund.event';
import { BalanceRepository } from '../../infrastructure/balance.repository';

/** In the refund's transaction: an order paid from the balance gets its amount back, with a REFUND log naming it. */
@Injectable()
export class OnOrderRefundListener {
  constructor(private readonly balances: BalanceRepository) {}

  @OnSyncEvent(OrderRefundEvent.NAME)
  async refundToBalance(event: OrderRefundEvent): Promise<void> {
    if (event.method !== 'BALANCE' || event.amount === 0) return;
    await this.balances.creditForRefund(event.userId, event.amount, event.orderId);
  }
}
