import type { OrderLine } from '../../order/application/events/order-line';
import type { PayableOrder } from '../../order/application/order-payments';

/** What the payment flow's events carry of an order's items. */
export function orderLines(order: PayableOrder): OrderLine[] {
  return order.items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity }));
}
