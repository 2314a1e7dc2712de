import { OrderSnapshotEvent, OrderSnapshotSource } from './order-snapshot.event';

export interface PaymentOfOrder {
  paymentId: number;
  method: string;
}

/** After commit: the order was paid. Written by the order module in the transaction that marks it PAID. */
export class OrderProcessedEvent extends OrderSnapshotEvent {
  static readonly NAME = 'order.processed';
  readonly eventType = 'ORDER_PAID';
  readonly paymentId: number;
  readonly paymentMethod: string;

  constructor(order: OrderSnapshotSource, payment: PaymentOfOrder, paidAt: Date) {
    super(order, paidAt);
    this.paymentId = payment.paymentId;
    this.paymentMethod = payment.method;
  }
}
