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

/** How a coupon is stored. HELD: a card payment of one order holds it while the gateway decides. */
export type StoredCouponStatus = 'AVAILABLE' | 'HELD' | 'USED';

/**
 * What a holder sees: a stored AVAILABLE coupon past its campaign's expiry reads as EXPIRED. A
 * HELD coupon is not used yet (the card payment may still fail, and other unpaid orders may
 * name it), so it reads as AVAILABLE; paying another order with it meanwhile answers 409.
 */
export function effectiveStatus(stored: StoredCouponStatus, expiresAt: Date | null, now: Date): UserCouponStatus {
  if (stored === 'USED') return 'USED';
  return isExpired(expiresAt, now) ? 'EXPIRED' : 'AVAILABLE';
}
