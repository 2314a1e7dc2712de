import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderProcessingEvent } from '../../../payment/application/events/payment-events';
import { CouponNotAvailableError } from '../../domain/coupon.errors';
import { CouponClaims } from '../../infrastructure/coupon-claims';
import { CouponRepository } from '../../infrastructure/coupon.repository';

/** In the payment transaction: the order's coupon becomes USED (Redis claim, then the row). */
@Injectable()
export class OnOrderProcessingListener {
  constructor(
    private readonly claims: CouponClaims,
    private readonly coupons: CouponRepository,
  ) {}

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
}
