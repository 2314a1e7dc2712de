import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { PaymentReleasingHoldEvent } from '../../../payment/application/events/payment-releasing-hold.event';
import { CouponStore } from '../ports/coupon-store.port';

/** The undo of hold-coupon, in the transaction that ends a gateway payment without a charge. */
@Injectable()
export class ReleaseCouponHoldOnPaymentReleasingHold {
  constructor(private readonly coupons: CouponStore) {}

  @OnSyncEvent(PaymentReleasingHoldEvent, 'coupon.release-hold')
  async release(event: PaymentReleasingHoldEvent): Promise<void> {
    if (event.userCouponId === null) return;
    await this.coupons.releaseHold(event.userCouponId, event.orderId);
  }
}
