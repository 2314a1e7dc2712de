import type { OneStatement } from '../../../common/database/one-statement';

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
  /** As a part of one statement (OneStatement): the SQL expression of the checkout `named`, checked to be the order's. */
  abstract namedPart(statement: OneStatement, orderId: number, named: string): string;
  /** As a part of one statement: the SQL expression of the order's latest checkout's gateway order id, NULL when it has none. */
  abstract latestPart(statement: OneStatement, orderId: number): string;
}
