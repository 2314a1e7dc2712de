import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CouponTerms, assertCouponTerms } from '../domain/coupon';
import { CouponGate } from './ports/coupon-gate.port';
import { CouponRecord, CouponStore } from './ports/coupon-store.port';

@Injectable()
export class CreateCouponUseCase {
  constructor(
    private readonly coupons: CouponStore,
    private readonly gate: CouponGate,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CreateCouponUseCase.name);
  }

  async execute(terms: CouponTerms): Promise<CouponRecord> {
    assertCouponTerms(terms, new Date());
    const coupon = await this.coupons.create(terms);
    try {
      await this.gate.overwrite(coupon.id, { remaining: coupon.totalQuantity, expiresAt: coupon.expiresAt, holders: [] });
    } catch (error) {
      this.logger.warn({ err: error, couponId: coupon.id }, 'coupon gate not primed; it will be built on first issue');
    }
    this.logger.info({ couponId: coupon.id, totalQuantity: coupon.totalQuantity }, 'coupon campaign created');
    return coupon;
  }
}
