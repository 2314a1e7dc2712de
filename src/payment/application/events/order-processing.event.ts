import { SyncEvent } from '../../../common/events/sync-event.decorator';
import { PaymentStepEvent } from './payment-flow.event';
import type { PaymentFlowOrder, PaymentFlowOrderInStatement } from './payment-flow.event';

/** In the transaction that pays the order (balance), or that completes a gateway payment: the reserved stock is sold and the coupon used. */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['product.sell-reserved-stock', 'coupon.use-coupon'] })
export class OrderProcessingEvent extends PaymentStepEvent {
  static readonly NAME = 'order.processing';

  constructor(
    order: PaymentFlowOrder | PaymentFlowOrderInStatement,
    /** A gateway payment held the coupon for this order when it started (payment.holding): there is no claim to take. */
    readonly couponHeld: boolean,
  ) {
    super(order);
  }
}
