import { Injectable } from '@nestjs/common';
import { UserCouponStatus, effectiveStatus } from '../domain/coupon';
import { CouponRepository, UserCouponRow } from '../infrastructure/coupon.repository';

export type MyCoupon = Omit<UserCouponRow, 'status'> & { status: UserCouponStatus };

@Injectable()
export class ListMyCouponsUseCase {
  constructor(private readonly coupons: CouponRepository) {}

  async execute(userId: number): Promise<MyCoupon[]> {
    const now = new Date();
    return (await this.coupons.listForUser(userId)).map((c) => ({ ...c, status: effectiveStatus(c.status, c.expiresAt, now) }));
  }
}
