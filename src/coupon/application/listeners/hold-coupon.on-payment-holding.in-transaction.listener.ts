import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { PaymentHoldingEvent } from '../../../payment/application/events/payment-holding.event';
import { CouponNotAvailableError } from '../../domain/coupon.errors';
import { CouponStore } from '../ports/coupon-store.port';

/**
 * In the first transaction of a gateway payment: the coupon is HELD for this order while the
 * gateway decides. Undone by release-coupon-hold, or used from HELD by use-coupon.
 */
@Injectable()
export class HoldCouponOnPaymentHolding {
  constructor(private readonly coupons: CouponStore) {}

  @OnSyncEvent(PaymentHoldingEvent, 'coupon.hold-coupon')
  async hold(event: PaymentHoldingEvent): Promise<void> {
    if (event.userCouponId === null) return;
    if (!(await this.coupons.hold(event.userId, event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('it has been used, has expired, or another order is being paid with it');
    }
  }
}
