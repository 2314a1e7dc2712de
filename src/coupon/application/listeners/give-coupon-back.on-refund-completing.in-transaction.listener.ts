import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { RefundCompletingEvent } from '../../../refund/application/events/refund-completing.event';
import { CouponStore } from '../ports/coupon-store.port';

/** In the refund's transaction: once the whole order is refunded, its coupon can be used again, unless it has expired. */
@Injectable()
export class GiveCouponBackOnRefundCompleting {
  constructor(private readonly coupons: CouponStore) {}

  @OnSyncEvent(RefundCompletingEvent, 'coupon.give-coupon-back')
  async giveBack(event: RefundCompletingEvent): Promise<void> {
    if (!event.fullyRefunded || event.userCouponId === null) return;
    await this.coupons.releaseUsed(event.userCouponId, event.orderId);
  }
}
