import { Transitions } from '../../common/domain/status-transitions';

/**
 * PAYING: a gateway payment holds the order; it can be neither cancelled, paid again nor expire
 * until that ends. AWAITING_DEPOSIT: a virtual account was issued; the order holds its stock and
 * coupon until its due date, and is cancelled only once the account is closed at the gateway.
 */
export type OrderStatus = 'PENDING' | 'PAYING' | 'AWAITING_DEPOSIT' | 'PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'CANCELLED' | 'EXPIRED';

/** How an order's status may change (API.md "Orders"); the order repository's guards implement exactly this. */
export const ORDER_TRANSITIONS: Transitions<OrderStatus> = {
  // Paid from the balance in one transaction, or claimed by a gateway payment; cancelled by its owner, or expired unpaid.
  PENDING: ['PAID', 'PAYING', 'CANCELLED', 'EXPIRED'],
  // The gateway charged it, or it did not (payable again), or it issued a virtual account.
  PAYING: ['PAID', 'PENDING', 'AWAITING_DEPOSIT'],
  // Paid into; or its account closed at the gateway first, by the customer or by its due date.
  AWAITING_DEPOSIT: ['PAID', 'CANCELLED', 'EXPIRED'],
  PAID: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  REFUNDED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export const ORDER_STATUSES = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];

/** Statuses of an order that was paid and has units left to refund. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED'];
