import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderRefundEvent } from '../../../payment/application/events/order-refund.event';
import { CouponRepository } from '../../infrastructure/coupon.repository';

/** In the refund's transaction: once the whole order is refunded, its coupon can be used again, unless it has expired. */
@Injectable()
export class OnOrderRefundCouponListener {
  constructor(private readonly coupons: CouponRepository) {}

  @OnSyncEvent(OrderRefundEvent.NAME)
  async giveCouponBack(event: OrderRefundEvent): Promise<void> {
    if (!event.fullyRefunded || event.userCouponId === null) return;
    await this.coupons.releaseUsed(event.userCouponId, event.orderId);
  }
}
