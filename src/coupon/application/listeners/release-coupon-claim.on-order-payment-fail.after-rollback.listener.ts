import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderPaymentFailEvent } from '../../../payment/application/events/order-payment-fail.event';
import { ReleaseCouponClaim } from '../release-coupon-claim';

/** After a balance payment rolled back in its balance step: use-coupon's Redis claim is dropped. */
@Injectable()
export class ReleaseCouponClaimOnOrderPaymentFail {
  constructor(private readonly claim: ReleaseCouponClaim) {}

  @OnSyncEvent(OrderPaymentFailEvent, 'coupon.release-claim')
  release(event: OrderPaymentFailEvent): Promise<void> {
    return this.claim.release(event);
  }
}
