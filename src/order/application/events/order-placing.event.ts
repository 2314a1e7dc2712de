import { InProcessEvent } from '../../../common/events/in-process-event';
import type { OrderLine } from './order-line';

/** In-transaction: the order row exists; its items must be reserved or the order rolls back. */
export class OrderPlacingEvent extends InProcessEvent {
  static readonly NAME = 'order.placing';

  constructor(
    readonly orderId: number,
    readonly userId: number,
    readonly userCouponId: number | null,
    readonly items: OrderLine[],
  ) {
    super();
  }
}
