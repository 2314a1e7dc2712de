import { ValidationFailedError } from '../../common/errors/domain-error';
import { DiscountType, assertDiscount } from './discount';

export type UserCouponStatus = 'AVAILABLE' | 'USED' | 'EXPIRED';

export interface CouponTerms {
  name: string;
  discountType: DiscountType;
  discountValue: number;
  totalQuantity: number;
  expiresAt: Date | null;
}

export const MAX_COUPON_QUANTITY = 10_000_000;

export function assertCouponTerms(terms: CouponTerms, now: Date): void {
  assertDiscount(terms.discountType, terms.discountValue);
  if (!Number.isSafeInteger(terms.totalQuantity) || terms.totalQuantity < 1 || terms.totalQuantity > MAX_COUPON_QUANTITY) {
    throw new ValidationFailedError('Validation failed', [`totalQuantity must be an integer from 1 to ${MAX_COUPON_QUANTITY}`]);
  }
  if (terms.expiresAt && terms.expiresAt.getTime() <= now.getTime()) {
    throw new ValidationFailedError('Validation failed', ['expiresAt must be in the future']);
  }
}

export function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/** What a holder sees: a stored AVAILABLE coupon past its campaign's expiry reads as EXPIRED. */
export function effectiveStatus(stored: 'AVAILABLE' | 'USED', expiresAt: Date | null, now: Date): UserCouponStatus {
  return stored === 'AVAILABLE' && isExpired(expiresAt, now) ? 'EXPIRED' : stored;
}
