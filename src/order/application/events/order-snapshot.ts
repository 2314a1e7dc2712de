import type { OrderWithItems } from '../../infrastructure/order.repository';
import type { ReleasedOrder } from './order-releasing.event';

export type OrderEventType = 'ORDER_PAID' | 'ORDER_CANCELLED' | 'ORDER_EXPIRED';

/** The body an after-commit consumer (the data-platform export) receives, minus the eventId the outbox adds. */
export function orderSnapshot(order: OrderWithItems, eventType: OrderEventType) {
  return {
    eventType,
    orderId: order.id,
    userId: order.userId,
    originalAmount: order.originalAmount,
    discountAmount: order.discountAmount,
    finalAmount: order.finalAmount,
    items: order.items,
    occurredAt: new Date().toISOString(),
  };
}

export function releasedOrder(order: OrderWithItems): ReleasedOrder {
  return {
    orderId: order.id,
    userId: order.userId,
    userCouponId: order.userCouponId,
    items: order.items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity })),
  };
}
