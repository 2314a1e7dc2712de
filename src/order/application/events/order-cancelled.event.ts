import { OrderSnapshotEvent } from './order-snapshot.event';

/** After commit: the customer cancelled the unpaid order; its reservation was released with it. */
export class OrderCancelledEvent extends OrderSnapshotEvent {
  static readonly NAME = 'order.cancelled';
  readonly eventType = 'ORDER_CANCELLED';
}
