import { OrderSnapshotEvent, OrderSnapshotSource } from './order-snapshot.event';

export interface RefundedLine {
  productId: number;
  productOptionId: number;
  quantity: number;
  /** Won this refund returned for these units. */
  amount: number;
}

export interface RefundOfOrder {
  refundId: number;
  amount: number;
  items: RefundedLine[];
}

/**
 * After commit: a refund of the order completed. Written by the order module in the transaction
 * that records it on the order; the data platform's ORDER_REFUNDED. `paidAt` is when the
 * refunded units were sold: the sales ranking takes them off that day.
 */
export class OrderRefundedEvent extends OrderSnapshotEvent {
  static readonly NAME = 'order.refunded';
  readonly eventType = 'ORDER_REFUNDED';
  readonly refundId: number;
  readonly refundAmount: number;
  readonly refundItems: RefundedLine[];
  readonly paidAt: string;

  constructor(order: OrderSnapshotSource & { paidAt: Date }, refund: RefundOfOrder, refundedAt: Date) {
    super(order, refundedAt);
    this.refundId = refund.refundId;
    this.refundAmount = refund.amount;
    this.refundItems = refund.items.map(({ productId, productOptionId, quantity, amount }) => ({ productId, productOptionId, quantity, amount }));
    this.paidAt = order.paidAt.toISOString();
  }
}
