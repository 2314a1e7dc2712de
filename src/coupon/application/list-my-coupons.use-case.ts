import { Injectable } from '@nestjs/common';
import { UserCouponStatus, effectiveStatus } from '../domain/coupon';
import { CouponStore, UserCouponRecord } from './ports/coupon-store.port';

export type MyCoupon = Omit<UserCouponRecord, 'status'> & { status: UserCouponStatus };

@Injectable()
export class ListMyCouponsUseCase {
  constructor(private readonly coupons: CouponStore) {}

  async execute(userId: number): Promise<MyCoupon[]> {
    const now = new Date();
    return (await this.coupons.listForUser(userId)).map((c) => ({ ...c, status: effectiveStatus(c.status, c.expiresAt, now) }));
  }
}
