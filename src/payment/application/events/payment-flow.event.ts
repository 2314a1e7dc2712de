import { InProcessEvent } from '../../../common/events/in-process-event';
import type { OneStatement } from '../../../common/database/one-statement';
import type { OrderLine } from '../../../order/application/events/order-line';

/** The order a payment-flow event is about, as its listeners need it. */
export interface PaymentFlowOrder {
  orderId: number;
  userId: number;
  userCouponId: number | null;
  items: OrderLine[];
  /** Won the order costs: its finalAmount. */
  amount: number;
}

/** What every payment-flow event carries (DESIGN.md "Events"). */
export abstract class PaymentFlowEvent extends InProcessEvent implements PaymentFlowOrder {
  readonly orderId: number;
  readonly userId: number;
  readonly userCouponId: number | null;
  readonly items: OrderLine[];
  readonly amount: number;
  /**
   * Set when the payment is one statement (a balance payment's payAtOnce, a gateway payment's
   * claimAtOnce and completeAtOnce): a listener adds its part to it instead of running its SQL,
   * and the statement commits all of them or none.
   */
  readonly statement: OneStatement | null;

  constructor({ orderId, userId, userCouponId, items, amount, statement = null }: PaymentFlowOrder & { statement?: OneStatement | null }) {
    super();
    this.statement = statement;
    this.orderId = orderId;
    this.userId = userId;
    this.userCouponId = userCouponId;
    this.items = items;
    this.amount = amount;
  }
}

/** The payment-flow view of an order as the order facade hands it over. */
export function paymentFlowOrder(order: {
  id: number;
  userId: number;
  userCouponId: number | null;
  finalAmount: number;
  items: readonly OrderLine[];
}): PaymentFlowOrder {
  return {
    orderId: order.id,
    userId: order.userId,
    userCouponId: order.userCouponId,
    items: order.items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity })),
    amount: order.finalAmount,
  };
}
