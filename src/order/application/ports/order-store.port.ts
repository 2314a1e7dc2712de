import type { OneStatement } from '../../../common/database/one-statement';
import type { OrderAmounts, PricedItem } from '../../domain/order';
import type { OrderStatus } from '../../domain/order-status';
import type { OrderInStatement } from '../events/order-in-statement';

export interface OrderItemRecord {
  productId: number;
  productOptionId: number;
  quantity: number;
  unitPrice: number;
}

export interface OrderRecord extends OrderAmounts {
  id: number;
  userId: number;
  status: OrderStatus;
  userCouponId: number | null;
  /** Won given back by completed refunds. */
  refundedAmount: number;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
}

export type OrderWithItems = OrderRecord & { items: OrderItemRecord[] };

/** The orders and order_items tables, as the order module's use cases need them. Every status change is one guarded statement. */
export abstract class OrderStore {
  abstract insert(userId: number, userCouponId: number | null, amounts: OrderAmounts, ttlSeconds: number): Promise<OrderRecord>;
  /**
   * Until the transaction ends, no other order of this user can be placed: what countOpen says
   * then stays true until this one commits.
   */
  abstract lockOrderPlacement(userId: number): Promise<void>;
  /** PENDING orders that can still be paid, and PAYING ones. */
  abstract countOpen(userId: number): Promise<number>;
  abstract insertItems(orderId: number, items: PricedItem[]): Promise<void>;
  abstract findForUser(userId: number, orderId: number): Promise<OrderWithItems | null>;
  abstract listForUser(userId: number, status: OrderStatus | undefined, page: number, size: number): Promise<{ items: OrderWithItems[]; total: number }>;
  abstract isOwnedBy(userId: number, orderId: number): Promise<boolean>;
  /** The order's row, locked until the caller's transaction ends. */
  abstract lockForUpdate(orderId: number): Promise<void>;
  /** PENDING → CANCELLED; null when the order is not (or no longer) PENDING. */
  abstract cancelPending(userId: number, orderId: number): Promise<OrderRecord | null>;
  /**
   * The database guard against paying twice: PENDING → `to`, checking the owner and the expiry,
   * with the order's items; null when the order was not the user's, not PENDING, or overdue.
   */
  abstract claimForPayment(userId: number, orderId: number, to: 'PAYING' | 'PAID'): Promise<OrderWithItems | null>;
  /** `claimForPayment` as a part of one statement (OneStatement), checked to have claimed the order; `paidAt` when `to` is PAID. */
  abstract claimPart(statement: OneStatement, userId: number, orderId: number, to: 'PAYING' | 'PAID', paidAt: Date | null): OrderInStatement;
  /** PAYING → PENDING (a gateway payment ended without a charge); null when it was not PAYING. */
  abstract releasePaying(orderId: number): Promise<OrderWithItems | null>;
  /** PAYING or AWAITING_DEPOSIT → PAID; null when it was neither. */
  abstract markPayingPaid(orderId: number): Promise<OrderWithItems | null>;
  /** `markPayingPaid` as a part of one statement (OneStatement), checked to have marked the order, the user's (the payment's user, who claimed it in phase 1). */
  abstract markPaidPart(statement: OneStatement, orderId: number, userId: number, paidAt: Date): OrderInStatement;
  /** PAYING → AWAITING_DEPOSIT (a virtual account was issued); null when it was not PAYING. */
  abstract markAwaitingDeposit(orderId: number): Promise<OrderRecord | null>;
  /** AWAITING_DEPOSIT → CANCELLED or EXPIRED, once its account is closed at the gateway; null when it was not AWAITING_DEPOSIT. */
  abstract closeAwaitingDeposit(orderId: number, to: 'CANCELLED' | 'EXPIRED'): Promise<OrderRecord | null>;
  /** Up to `limit` overdue PENDING orders → EXPIRED, skipping any another transaction holds. */
  abstract expireDue(limit: number): Promise<OrderRecord[]>;
  abstract withItems(orders: OrderRecord[]): Promise<OrderWithItems[]>;
}
