import { Injectable } from '@nestjs/common';
import { effectiveStatus } from '../domain/coupon';
import { CouponNotAvailableError, CouponNotFoundError } from '../domain/coupon.errors';
import { discountFor } from '../domain/discount';
import { CouponStore } from './ports/coupon-store.port';

/** The coupon module's facade: what other modules may ask about a user's coupon. */
@Injectable()
export class CouponWallet {
  constructor(private readonly coupons: CouponStore) {}

  /**
   * The discount a user's coupon gives on `amount`. 404 COUPON_NOT_FOUND when the user does not
   * hold it, 409 COUPON_NOT_AVAILABLE when it is used or expired.
   */
  async quote(userId: number, userCouponId: number, amount: number): Promise<{ discountAmount: number }> {
    const coupon = await this.coupons.findForUser(userId, userCouponId);
    if (!coupon) throw new CouponNotFoundError();
    const status = effectiveStatus(coupon.status, coupon.expiresAt, new Date());
    if (status !== 'AVAILABLE') throw new CouponNotAvailableError(status === 'USED' ? 'it has been used' : 'it has expired');
    return { discountAmount: discountFor(coupon.discountType, coupon.discountValue, amount) };
  }
}
