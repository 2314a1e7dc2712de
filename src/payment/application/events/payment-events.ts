import { randomUUID } from 'node:crypto';

export interface PaidItem {
  productId: number;
  productOptionId: number;
  quantity: number;
}

/** What every payment-flow event carries (DESIGN.md "Events"). */
abstract class PaymentFlowEvent {
  readonly eventId = randomUUID();
  readonly occurredAt = new Date();

  constructor(
    readonly orderId: number,
    readonly userId: number,
    readonly userCouponId: number | null,
    readonly items: PaidItem[],
    /** Won to take from the balance: the order's finalAmount. */
    readonly amount: number,
  ) {}
}

/** In-transaction: confirm the reserved stock and use the coupon. */
export class OrderProcessingEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.processing';
}

/** In-transaction: take the amount from the balance. */
export class OrderPaymentEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.payment';
}

/** After a rollback in the processing step: undo what Postgres could not roll back. */
export class OrderProcessingFailEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.processing.fail';

  constructor(source: PaymentFlowEvent, readonly reason: string) {
    super(source.orderId, source.userId, source.userCouponId, source.items, source.amount);
  }
}

/** After a rollback in the balance step (or later): undo what Postgres could not roll back. */
export class OrderPaymentFailEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.payment.fail';

  constructor(source: PaymentFlowEvent, readonly reason: string) {
    super(source.orderId, source.userId, source.userCouponId, source.items, source.amount);
  }
}
