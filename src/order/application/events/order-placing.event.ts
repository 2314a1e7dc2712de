import { InProcessEvent } from '../../../common/events/in-process-event';
import { SyncEvent } from '../../../common/events/sync-event.decorator';
import type { OrderLine } from './order-line';

/** In-transaction: the order row exists; its items must be reserved or the order rolls back. */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['product.reserve-stock'] })
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
