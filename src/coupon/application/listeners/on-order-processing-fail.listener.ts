import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderProcessingFailEvent } from '../../../payment/application/events/payment-events';
import { ReleaseCouponClaim } from '../release-coupon-claim';

@Injectable()
export class OnOrderProcessingFailListener {
  constructor(private readonly releaseClaim: ReleaseCouponClaim) {}

  @OnSyncEvent(OrderProcessingFailEvent.NAME)
  compensate(event: OrderProcessingFailEvent): Promise<void> {
    return this.releaseClaim.execute(event);
  }
}
