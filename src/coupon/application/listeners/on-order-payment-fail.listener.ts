import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderPaymentFailEvent } from '../../../payment/application/events/payment-events';
import { ReleaseCouponClaim } from '../release-coupon-claim';

@Injectable()
export class OnOrderPaymentFailListener {
  constructor(private readonly releaseClaim: ReleaseCouponClaim) {}

  @OnSyncEvent(OrderPaymentFailEvent.NAME)
  compensate(event: OrderPaymentFailEvent): Promise<void> {
    return this.releaseClaim.execute(event);
  }
}
