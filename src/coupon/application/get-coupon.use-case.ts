import { Injectable } from '@nestjs/common';
import { CouponNotFoundError } from '../domain/coupon.errors';
import { CouponRecord, CouponStore } from './ports/coupon-store.port';

@Injectable()
export class GetCouponUseCase {
  constructor(private readonly coupons: CouponStore) {}

  async execute(couponId: number): Promise<CouponRecord> {
    const coupon = await this.coupons.find(couponId);
    if (!coupon) throw new CouponNotFoundError();
    return coupon;
  }
}
