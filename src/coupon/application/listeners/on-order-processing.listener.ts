import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import {
  OrderPaymentFailEvent,
  OrderProcessingEvent,
  OrderProcessingFailEvent,
} from '../../../payment/application/events/payment-events';
import { CouponNotAvailableError } from '../../domain/coupon.errors';
import { CouponClaims } from '../../infrastructure/coupon-claims';
import { CouponRepository } from '../../infrastructure/coupon.repository';

/** The payment's coupon step, with its undo beside it. */
@Injectable()
export class OnOrderProcessingUseCouponListener {
  constructor(
    private readonly claims: CouponClaims,
    private readonly coupons: CouponRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(OnOrderProcessingUseCouponListener.name);
  }

  /** In the payment transaction: the order's coupon becomes USED (Redis claim, then the row). */
  @OnSyncEvent(OrderProcessingEvent.NAME)
  async useCoupon(event: OrderProcessingEvent): Promise<void> {
    if (event.userCouponId === null) return;
    if (!(await this.claims.claim(event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('another order is being paid with it');
    }
    if (!(await this.coupons.markUsed(event.userId, event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('it has been used or has expired');
    }
  }

  /**
   * The undo of useCoupon, after the payment rolled back: the row went back with it, so the
   * Redis claim goes too. Idempotent, and harmless out of order: it only drops this order's claim.
   */
  @OnSyncEvent(OrderProcessingFailEvent.NAME, OrderPaymentFailEvent.NAME)
  async releaseClaim(event: OrderProcessingFailEvent | OrderPaymentFailEvent): Promise<void> {
    if (event.userCouponId === null) return;
    await this.claims.release(event.userCouponId, event.orderId);
    this.logger.info(
      { orderId: event.orderId, userId: event.userId, userCouponId: event.userCouponId, reason: event.reason },
      'payment failed: coupon claim released, coupon stays AVAILABLE',
    );
  }
}
