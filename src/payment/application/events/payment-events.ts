import { InProcessEvent } from '../../../common/events/in-process-event';
import type { OrderLine } from '../../../order/application/events/order-line';

/** What every payment-flow event carries (DESIGN.md "Events"). */
abstract class PaymentFlowEvent extends InProcessEvent {
  constructor(
    readonly orderId: number,
    readonly userId: number,
    readonly userCouponId: number | null,
    readonly items: OrderLine[],
    /** Won the order costs: its finalAmount. */
    readonly amount: number,
  ) {
    super();
  }
}

/** In-transaction: confirm the reserved stock and use the coupon. */
export class OrderProcessingEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.processing';

  constructor(
    orderId: number,
    userId: number,
    userCouponId: number | null,
    items: OrderLine[],
    amount: number,
    /** A card payment held the coupon for this order when it started (order.paying): no claim to take. */
    readonly couponHeld = false,
  ) {
    super(orderId, userId, userCouponId, items, amount);
  }
}

/**
 * In-transaction, first phase of a card payment: the order goes to the gateway, so its coupon
 * is held for it (another order naming the coupon is refused) until the payment ends.
 */
export class OrderPayingEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.paying';
}

/** In-transaction: the card payment ended without a charge; what order.paying held is released. */
export class OrderPayingReleasedEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.paying.released';
}

/** In-transaction: take the amount from the balance. */
export class OrderPaymentEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.payment';
}

/** After a rollback in the processing step: undo what Postgres could not roll back. */
export class OrderProcessingFailEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.processing.fail';

  constructor(
    source: PaymentFlowEvent,
    readonly reason: string,
  ) {
    super(source.orderId, source.userId, source.userCouponId, source.items, source.amount);
  }
}

/** After a rollback in the balance step (or later): undo what Postgres could not roll back. */
export class OrderPaymentFailEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.payment.fail';

  constructor(
    source: PaymentFlowEvent,
    readonly reason: string,
  ) {
    super(source.orderId, source.userId, source.userCouponId, source.items, source.amount);
  }
}
