import { InProcessEvent } from '../../../common/events/in-process-event';
import type { OneStatement } from '../../../common/database/one-statement';
import type { OrderLine } from '../../../order/application/events/order-line';
import type { OrderInStatement } from '../../../order/application/events/order-in-statement';

/** The order a payment-flow event is about, as its listeners need it. */
export interface PaymentFlowOrder {
  orderId: number;
  userId: number;
  userCouponId: number | null;
  items: OrderLine[];
  /** Won the order costs: its finalAmount. */
  amount: number;
}

/**
 * The order of a payment made as ONE statement (a balance payment's payAtOnce, a gateway
 * payment's claimAtOnce and completeAtOnce), which reads the order itself: a listener adds its
 * part to `statement`, taking the order's figures from the SQL, and the statement commits all
 * of the parts or none.
 */
export interface PaymentFlowOrderInStatement extends OrderInStatement {
  statement: OneStatement;
}

/** What every payment-flow event carries (DESIGN.md "Events"). */
export abstract class PaymentFlowEvent extends InProcessEvent implements PaymentFlowOrder {
  readonly orderId: number;
  readonly userId: number;
  readonly userCouponId: number | null;
  readonly items: OrderLine[];
  readonly amount: number;

  constructor({ orderId, userId, userCouponId, items, amount }: PaymentFlowOrder) {
    super();
    this.orderId = orderId;
    this.userId = userId;
    this.userCouponId = userCouponId;
    this.items = items;
    this.amount = amount;
  }
}

/**
 * A step of the payment that its listeners either run in the payment's transaction (`order`
 * holds the figures) or add their parts to the payment's one statement (`order` is SQL).
 */
export abstract class PaymentStepEvent extends InProcessEvent {
  readonly orderId: number;
  readonly userId: number;

  constructor(readonly order: PaymentFlowOrder | PaymentFlowOrderInStatement) {
    super();
    this.orderId = order.orderId;
    this.userId = order.userId;
  }
}

/** The step is a part of the payment's one statement. */
export function inStatement(order: PaymentFlowOrder | PaymentFlowOrderInStatement): order is PaymentFlowOrderInStatement {
  return 'statement' in order;
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
