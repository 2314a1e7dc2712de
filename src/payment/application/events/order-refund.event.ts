import { InProcessEvent } from '../../../common/events/in-process-event';
import type { OrderLine } from '../../../order/application/events/order-line';

/**
 * In-transaction, when a refund completes: each module gives back its part. The balance gets
 * the amount (a BALANCE payment), the option its units (`restock`), the coupon its availability
 * (the whole order refunded).
 */
export class OrderRefundEvent extends InProcessEvent {
  static readonly NAME = 'order.refund';

  constructor(
    readonly refundId: number,
    readonly orderId: number,
    readonly userId: number,
    readonly userCouponId: number | null,
    readonly method: 'BALANCE' | 'CARD',
    /** Won returned. */
    readonly amount: number,
    readonly items: OrderLine[],
    readonly restock: boolean,
    readonly fullyRefunded: boolean,
  ) {
    super();
  }
}
