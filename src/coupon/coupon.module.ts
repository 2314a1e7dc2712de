import { Module } from '@nestjs/common';
import { OnOrderRefundCouponListener } from './application/listeners/on-order-refund.listener';
import { CouponGateSync } from './application/coupon-gate-sync';
import { CouponWallet } from './application/coupon-wallet';
import { CreateCouponUseCase } from './application/create-coupon.use-case';
import { GetCouponUseCase } from './application/get-coupon.use-case';
import { IssueCouponUseCase } from './application/issue-coupon.use-case';
import { ListMyCouponsUseCase } from './application/list-my-coupons.use-case';
import { OnOrderProcessingUseCouponListener } from './application/listeners/on-order-processing.listener';
import { CouponClaims } from './infrastructure/coupon-claims';
import { CouponGate } from './infrastructure/coupon-gate';
import { CouponMetrics } from './infrastructure/coupon.metrics';
import { CouponRepository } from './infrastructure/coupon.repository';
import { AdminCouponsController } from './presentation/admin-coupons.controller';
import { CouponsController } from './presentation/coupons.controller';

@Module({
  controllers: [AdminCouponsController, CouponsController],
  providers: [
    OnOrderRefundCouponListener,
    CouponRepository,
    CouponGate,
    CouponGateSync,
    CreateCouponUseCase,
    GetCouponUseCase,
    IssueCouponUseCase,
    ListMyCouponsUseCase,
    CouponWallet,
    CouponClaims,
    CouponMetrics,
    OnOrderProcessingUseCouponListener,
  ],
  exports: [CouponWallet],
})
export class CouponModule {}
