import type { OneStatement } from '../../../common/database/one-statement';
import { SyncEvent } from '../../../common/events/sync-event.decorator';
import { PaymentFlowEvent } from './payment-flow.event';
import type { PaymentFlowOrder } from './payment-flow.event';

/** In the transaction that pays the order (balance), or that completes a gateway payment: the reserved stock is sold and the coupon used. */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['product.sell-reserved-stock', 'coupon.use-coupon'] })
export class OrderProcessingEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.processing';
  /** A gateway payment held the coupon for this order when it started (payment.holding): there is no claim to take. */
  readonly couponHeld: boolean;

  constructor(order: PaymentFlowOrder, { couponHeld, statement = null }: { couponHeld: boolean; statement?: OneStatement | null }) {
    super({ ...order, statement });
    this.couponHeld = couponHeld;
  }
}
