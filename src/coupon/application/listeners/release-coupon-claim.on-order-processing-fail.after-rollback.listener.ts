import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderProcessingFailEvent } from '../../../payment/application/events/order-processing-fail.event';
import { ReleaseCouponClaim } from '../release-coupon-claim';

/** After a balance payment rolled back in its processing step: use-coupon's Redis claim is dropped. */
@Injectable()
export class ReleaseCouponClaimOnOrderProcessingFail {
  constructor(private readonly claim: ReleaseCouponClaim) {}

  @OnSyncEvent(OrderProcessingFailEvent, 'coupon.release-claim')
  release(event: OrderProcessingFailEvent): Promise<void> {
    return this.claim.release(event);
  }
}
