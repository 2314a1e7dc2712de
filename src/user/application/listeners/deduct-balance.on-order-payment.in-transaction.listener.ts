import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderPaymentEvent } from '../../../payment/application/events/order-payment.event';
import { inStatement } from '../../../payment/application/events/payment-flow.event';
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
    const { order } = event;
    if (inStatement(order)) return this.balances.debitForOrderPart(order.statement, order.userId, order.amountSql, order.orderId);
    // A fully discounted order costs nothing: no debit, and no zero-won log line.
    if (order.amount === 0) return;
    const balance = await this.balances.debitForOrder(order.userId, order.amount, order.orderId);
    if (balance === null) throw new InsufficientBalanceError(order.amount);
  }
}
