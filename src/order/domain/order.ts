import { ValidationFailedError } from '../../common/errors/domain-error';
import { TooManyOpenOrdersError } from './order.errors';


export const MAX_ORDER_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 1_000;

export interface RequestedItem {
  productOptionId: number;
  quantity: number;
}

export interface PricedItem extends RequestedItem {
  productId: number;
  unitPrice: number;
}

export interface OrderAmounts {
  originalAmount: number;
  discountAmount: number;
  finalAmount: number;
}

export function assertOrderItems(items: RequestedItem[]): void {
  if (items.length < 1 || items.length > MAX_ORDER_ITEMS) {
    throw new ValidationFailedError('Validation failed', [`items must hold 1 to ${MAX_ORDER_ITEMS} entries`]);
  }
  const seen = new Set<number>();
  for (const { productOptionId, quantity } of items) {
    if (seen.has(productOptionId)) {
      throw new ValidationFailedError('Validation failed', [`productOptionId ${productOptionId} appears more than once`]);
    }
    seen.add(productOptionId);
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_ITEM_QUANTITY) {
      throw new ValidationFailedError('Validation failed', [`quantity must be an integer from 1 to ${MAX_ITEM_QUANTITY}`]);
    }
  }
}

/** `open`: the user's PENDING (not yet overdue) and PAYING orders, counted while no other order of theirs can be placed. */
export function assertMayOpenOrder(open: number, max: number): void {
  if (open >= max) throw new TooManyOpenOrdersError(max);
}

export function originalAmountOf(items: PricedItem[]): number {
  const total = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('order total is outside the safe integer range');
  return total;
}

/** finalAmount = max(0, original - discount); the discount is capped by the original amount. */
export function amountsOf(items: PricedItem[], discount: number): OrderAmounts {
  const originalAmount = originalAmountOf(items);
  const discountAmount = Math.min(Math.max(discount, 0), originalAmount);
  return { originalAmount, discountAmount, finalAmount: originalAmount - discountAmount };
}

/**
 * Rows are locked in ascending option id order by every writer of stock, so two orders naming
 * the same options in opposite orders can never deadlock.
 */
export function inLockOrder<T extends { productOptionId: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.productOptionId - b.productOptionId);
}
