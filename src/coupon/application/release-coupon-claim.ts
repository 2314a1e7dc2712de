import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { OrderPaymentFailEvent } from '../../payment/application/events/order-payment-fail.event';
import type { OrderProcessingFailEvent } from '../../payment/application/events/order-processing-fail.event';
import { CouponClaims } from './ports/coupon-claims.port';

/**
 * The undo of use-coupon, after the payment rolled back: the row went back with it, so the Redis
 * claim goes too. Idempotent, and harmless out of order: it only drops this order's claim.
 */
@Injectable()
export class ReleaseCouponClaim {
  constructor(
    private readonly claims: CouponClaims,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReleaseCouponClaim.name);
  }

  async release(event: OrderProcessingFailEvent | OrderPaymentFailEvent): Promise<void> {
    if (event.userCouponId === null) return;
    await this.claims.release(event.userCouponId, event.orderId);
    this.logger.info(
      { orderId: event.orderId, userId: event.userId, userCouponId: event.userCouponId, reason: event.reason },
      'payment failed: coupon claim released, coupon stays AVAILABLE',
    );
  }
}
