import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderPaymentEvent } from '../../../payment/application/events/order-payment.event';
import { InsufficientBalanceError } from '../../domain/balance.errors';
import { BalanceStore } from '../ports/balance-store.port';

/**
 * In the balance payment's transaction, or as its part of the payment's one statement: the balance
 * drops by the order's amount, with a USE log naming it.
 */
@Injectable()
export class DeductBalanceOnOrderPayment {
  constructor(private readonly balances: BalanceStore) {}

  @OnSyncEvent(OrderPaymentEvent, 'user.deduct-balance')
  async deduct(event: OrderPaymentEvent): Promise<void> {
    // A fully discounted order costs nothing: no debit, and no zero-won log line.
    if (event.amount === 0) return;
    if (event.statement) return this.balances.debitForOrderPart(event.statement, event.userId, event.amount, event.orderId);
    const balance = await this.balances.debitForOrder(event.userId, event.amount, event.orderId);
    if (balance === null) throw new InsufficientBalanceError(event.amount);
  }
}
