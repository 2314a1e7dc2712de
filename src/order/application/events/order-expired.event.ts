import { OrderSnapshotEvent } from './order-snapshot.event';

/** After commit: the order was not paid in time; its reservation was released with it. */
export class OrderExpiredEvent extends OrderSnapshotEvent {
  static readonly NAME = 'order.expired';
  readonly eventType = 'ORDER_EXPIRED';
}
