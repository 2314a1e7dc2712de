import type { OrderRecord } from './order-store.port';

/** An order line as a refund sees it: what was paid, what is refunded or held, and the won that returned or holds. */
export interface RefundLineRecord {
  productId: number;
  productOptionId: number;
  unitPrice: number;
  quantity: number;
  refundedQuantity: number;
  refundingQuantity: number;
  refundedAmount: number;
}

export interface UnitChange {
  productOptionId: number;
  quantity: number;
  amount: number;
}

/** The refund side of the orders and order_items tables. Units and won move in guarded statements only. */
export abstract class OrderRefundStore {
  abstract exists(orderId: number): Promise<boolean>;
  /** The order, locked until the caller's transaction ends, so that refunds of one order take turns. */
  abstract lock(orderId: number): Promise<OrderRecord | null>;
  abstract lines(orderId: number): Promise<RefundLineRecord[]>;
  /** Holds units for a refund; false (nothing changed) when one line no longer has them. */
  abstract hold(orderId: number, changes: UnitChange[]): Promise<boolean>;
  /** Held units become refunded ones; false when fewer were held. */
  abstract settle(orderId: number, changes: UnitChange[]): Promise<boolean>;
  /** A refund that failed gives its held units and won back; false when fewer were held. */
  abstract release(orderId: number, changes: UnitChange[]): Promise<boolean>;
  /**
   * A completed refund on the order: refundedAmount grows, the status follows what is left
   * (REFUNDED once every unit is refunded or every won is given back); null when the order was not refundable.
   */
  abstract recordRefund(orderId: number, amount: number): Promise<OrderRecord | null>;
}
