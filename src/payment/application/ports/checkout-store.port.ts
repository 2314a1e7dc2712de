export type CheckoutMethod = 'CARD' | 'EASY_PAY' | 'VIRTUAL_ACCOUNT';

export interface CheckoutRecord {
  id: number;
  orderId: number;
  userId: number;
  gatewayOrderId: string;
  method: CheckoutMethod;
  amount: number;
  createdAt: Date;
}

/** The checkouts table: every gateway order id the shop ever issued, one per checkout. */
export abstract class CheckoutStore {
  /** A new checkout, with a gateway order id no other checkout ever had (`order-{orderId}-{checkoutId}`). */
  abstract insert(orderId: number, userId: number, method: CheckoutMethod, amount: number): Promise<CheckoutRecord>;
  abstract find(orderId: number, gatewayOrderId: string): Promise<CheckoutRecord | null>;
  abstract latestOf(orderId: number): Promise<CheckoutRecord | null>;
}
