import { randomUUID } from 'node:crypto';
import type { EventItem } from './order-placing.event';

export interface ReleasedOrder {
  orderId: number;
  userId: number;
  userCouponId: number | null;
  items: EventItem[];
}

/**
 * In-transaction: these orders stopped being payable (cancelled or expired), so what they
 * reserved must be released before commit. One event carries a whole expiry batch, so that
 * the stock side can release each option with one update instead of one per order.
 */
export class OrderReleasingEvent {
  static readonly NAME = 'order.releasing';
  readonly eventId = randomUUID();
  readonly occurredAt = new Date();

  constructor(
    readonly reason: 'CANCELLED' | 'EXPIRED',
    readonly orders: ReleasedOrder[],
  ) {}
}
