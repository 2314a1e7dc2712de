import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { PaymentHoldingEvent } from '../../../payment/application/events/payment-holding.event';
import { CouponNotAvailableError } from '../../domain/coupon.errors';
import { CouponStore } from '../ports/coupon-store.port';

/**
 * In the first transaction of a gateway payment, or as its part of that phase's one statement:
 * the coupon is HELD for this order while the gateway decides. Undone by release-coupon-hold, or
 * used from HELD by use-coupon.
 */
@Injectable()
export class HoldCouponOnPaymentHolding {
  constructor(private readonly coupons: CouponStore) {}

  @OnSyncEvent(PaymentHoldingEvent, 'coupon.hold-coupon')
  async hold(event: PaymentHoldingEvent): Promise<void> {
    if (event.userCouponId === null) return;
    if (event.statement) return this.coupons.holdPart(event.statement, event.userId, event.userCouponId, event.orderId);
    if (!(await this.coupons.hold(event.userId, event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('it has been used, has expired, or another order is being paid with it');
    }
  }
}
