import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { OrderPaymentFailEvent, OrderProcessingFailEvent } from '../../payment/application/events/payment-events';
import { CouponClaims } from '../infrastructure/coupon-claims';

/** The compensation both fail events share: the row rolled back, so the Redis claim goes too. */
@Injectable()
export class ReleaseCouponClaim {
  constructor(
    private readonly claims: CouponClaims,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReleaseCouponClaim.name);
  }

  async execute(event: OrderProcessingFailEvent | OrderPaymentFailEvent): Promise<void> {
    if (event.userCouponId === null) return;
    await this.claims.release(event.userCouponId, event.orderId);
    this.logger.info(
      { orderId: event.orderId, userId: event.userId, userCouponId: event.userCouponId, reason: event.reason },
      'payment failed: coupon claim released, coupon stays AVAILABLE',
    );
  }
}
