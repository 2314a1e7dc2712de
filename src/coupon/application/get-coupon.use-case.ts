import { Injectable } from '@nestjs/common';
import { CouponNotFoundError } from '../domain/coupon.errors';
import { CouponRepository, CouponRow } from '../infrastructure/coupon.repository';

@Injectable()
export class GetCouponUseCase {
  constructor(private readonly coupons: CouponRepository) {}

  async execute(couponId: number): Promise<CouponRow> {
    const coupon = await this.coupons.find(couponId);
    if (!coupon) throw new CouponNotFoundError();
    return coupon;
  }
}
