import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderPaymentEvent } from '../../../payment/application/events/payment-events';
import { InsufficientBalanceError } from '../../domain/balance.errors';
import { BalanceRepository } from '../../infrastructure/balance.repository';

/** In the payment transaction: the balance drops by the order's amount, with a USE log naming it. */
@Injectable()
export class OnOrderPaymentListener {
  constructor(private readonly balances: BalanceRepository) {}

  @OnSyncEvent(OrderPaymentEvent.NAME)
  async deductBalance(event: OrderPaymentEvent): Promise<void> {
    // A fully discounted order costs nothing: no debit, and no zero-won log line.
    if (event.amount === 0) return;
    const balance = await this.balances.debitForOrder(event.userId, event.amount, event.orderId);
    if (balance === null) throw new InsufficientBalanceError(event.amount);
  }
}
