import type { PricedOrderLine } from './order-line';

/** What an order's after-commit events are built from. */
export interface OrderSnapshotSource {
  id: number;
  userId: number;
  originalAmount: number;
  discountAmount: number;
  finalAmount: number;
  items: PricedOrderLine[];
}

/**
 * The order as after-commit consumers (export, event log, ranking, push) receive it through the
 * outbox: the data platform's body (API.md, "Data platform export"). Never constructed by a
 * consumer: a consumer gets the parsed JSON, typed by the subclass of its subscription.
 */
export abstract class OrderSnapshotEvent {
  /** Set by the outbox: one per event, shared by every consumer's row of it. */
  declare readonly eventId: string;
  abstract readonly eventType: string;
  readonly orderId: number;
  readonly userId: number;
  readonly originalAmount: number;
  readonly discountAmount: number;
  readonly finalAmount: number;
  readonly items: PricedOrderLine[];
  readonly occurredAt: string;

  constructor(order: OrderSnapshotSource, occurredAt: Date) {
    this.orderId = order.id;
    this.userId = order.userId;
    this.originalAmount = order.originalAmount;
    this.discountAmount = order.discountAmount;
    this.finalAmount = order.finalAmount;
    this.items = order.items.map(({ productId, productOptionId, quantity, unitPrice }) => ({ productId, productOptionId, quantity, unitPrice }));
    this.occurredAt = occurredAt.toISOString();
  }
}
