import { InProcessEvent } from '../../../common/events/in-process-event';
import { SyncEvent } from '../../../common/events/sync-event.decorator';
import type { OrderLine } from '../../../order/application/events/order-line';
import type { RefundMethod } from '../../domain/refund';

/**
 * In the transaction that completes a refund: each module gives back its part. The balance gets
 * the amount (an order paid from it), the options their units (`restock`), the coupon its
 * availability (the whole order refunded).
 */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['user.refund-to-balance', 'product.restock', 'coupon.give-coupon-back'] })
export class RefundCompletingEvent extends InProcessEvent {
  static readonly NAME = 'refund.completing';
  constructor(
    readonly refundId: number,
    readonly orderId: number,
    readonly userId: number,
    readonly userCouponId: number | null,
    /** How the order was paid, and so where the money goes back. */
    readonly method: RefundMethod,
    /** Won returned. */
    readonly amount: number,
    readonly items: OrderLine[],
    readonly restock: boolean,
    readonly fullyRefunded: boolean,
  ) {
    super();
  }
}
