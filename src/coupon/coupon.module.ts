import { Module } from '@nestjs/common';
import { CouponGateSync } from './application/coupon-gate-sync';
import { CouponWallet } from './application/coupon-wallet.facade';
import { CreateCouponUseCase } from './application/create-coupon.use-case';
import { GetCouponUseCase } from './application/get-coupon.use-case';
import { IssueCouponUseCase } from './application/issue-coupon.use-case';
import { ListMyCouponsUseCase } from './application/list-my-coupons.use-case';
import { GiveCouponBackOnRefundCompleting } from './application/listeners/give-coupon-back.on-refund-completing.in-transaction.listener';
import { HoldCouponOnPaymentHolding } from './application/listeners/hold-coupon.on-payment-holding.in-transaction.listener';
import { ReleaseCouponClaimOnOrderPaymentFail } from './application/listeners/release-coupon-claim.on-order-payment-fail.after-rollback.listener';
import { ReleaseCouponClaimOnOrderProcessingFail } from './application/listeners/release-coupon-claim.on-order-processing-fail.after-rollback.listener';
import { ReleaseCouponHoldOnPaymentReleasingHold } from './application/listeners/release-coupon-hold.on-payment-releasing-hold.in-transaction.listener';
import { UseCouponOnOrderProcessing } from './application/listeners/use-coupon.on-order-processing.in-transaction.listener';
import { ReleaseCouponClaim } from './application/release-coupon-claim';
import { CouponClaims } from './application/ports/coupon-claims.port';
import { CouponGate } from './application/ports/coupon-gate.port';
import { CouponStore } from './application/ports/coupon-store.port';
import { CouponMetrics } from './coupon.metrics';
import { CouponRepository } from './infrastructure/coupon.repository';
import { RedisCouponClaims } from './infrastructure/redis-coupon-claims';
import { RedisCouponGate } from './infrastructure/redis-coupon-gate';
import { AdminCouponsController } from './presentation/admin-coupons.controller';
import { CouponsController } from './presentation/coupons.controller';

@Module({
  controllers: [AdminCouponsController, CouponsController],
  providers: [
    { provide: CouponStore, useClass: CouponRepository },
    { provide: CouponGate, useClass: RedisCouponGate },
    CouponGateSync,
    CreateCouponUseCase,
    GetCouponUseCase,
    IssueCouponUseCase,
    ListMyCouponsUseCase,
    CouponWallet,
    { provide: CouponClaims, useClass: RedisCouponClaims },
    CouponMetrics,
    UseCouponOnOrderProcessing,
    HoldCouponOnPaymentHolding,
    ReleaseCouponHoldOnPaymentReleasingHold,
    ReleaseCouponClaim,
    ReleaseCouponClaimOnOrderProcessingFail,
    ReleaseCouponClaimOnOrderPaymentFail,
    GiveCouponBackOnRefundCompleting,
  ],
  exports: [CouponWallet],
})
export class CouponModule {}
