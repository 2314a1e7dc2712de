import { ValidationFailedError } from '../../common/errors/domain-error';

export type DiscountType = 'FIXED' | 'RATE';

export const DISCOUNT_LIMITS: Readonly<Record<DiscountType, { min: number; max: number }>> = {
  FIXED: { min: 1, max: 100_000_000 },
  RATE: { min: 1, max: 100 },
};

export function assertDiscount(type: DiscountType, value: number): void {
  const { min, max } = DISCOUNT_LIMITS[type];
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationFailedError('Validation failed', [`discountValue must be an integer from ${min} to ${max} for ${type}`]);
  }
}

/**
 * Won taken off `amount`: FIXED is at most the amount itself, RATE is a whole percentage
 * rounded down to a whole won. The result never exceeds the amount, so the final amount is
 * never negative.
 */
export function discountFor(type: DiscountType, value: number, amount: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative integer, got ${amount}`);
  assertDiscount(type, value);
  // amount * value stays exact: amounts are far below 2^53 / 100.
  const discount = type === 'FIXED' ? value : Math.floor((amount * value) / 100);
  return Math.min(discount, amount);
}
