import { InProcessEvent } from '../../../common/events/in-process-event';
import { SyncEvent } from '../../../common/events/sync-event.decorator';
import type { OrderLine } from './order-line';

export interface ReleasedOrder {
  orderId: number;
  userId: number;
  userCouponId: number | null;
  items: OrderLine[];
}

/**
 * In-transaction: these orders stopped being payable (cancelled or expired), so what they
 * reserved must be released before commit. One event carries a whole expiry batch, so that
 * the stock side can release each option with one update instead of one per order.
 */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['product.release-reserved-stock'] })
export class OrderReleasingEvent extends InProcessEvent {
  static readonly NAME = 'order.releasing';
  constructor(
    readonly reason: 'CANCELLED' | 'EXPIRED',
    readonly orders: ReleasedOrder[],
  ) {
    super();
  }
}

export function releasedOrder(order: { id: number; userId: number; userCouponId: number | null; items: OrderLine[] }): ReleasedOrder {
  return {
    orderId: order.id,
    userId: order.userId,
    userCouponId: order.userCouponId,
    items: order.items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity })),
  };
}
