import { randomUUID } from 'node:crypto';

export interface EventItem {
  productId: number;
  productOptionId: number;
  quantity: number;
}

/** In-transaction: the order row exists; its items must be reserved or the order rolls back. */
export class OrderPlacingEvent {
  static readonly NAME = 'order.placing';
  readonly eventId = randomUUID();
  readonly occurredAt = new Date();

  constructor(
    readonly orderId: number,
    readonly userId: number,
    readonly userCouponId: number | null,
    readonly items: EventItem[],
  ) {}
}
