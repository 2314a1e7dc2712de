import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { inStatement } from '../../../payment/application/events/payment-flow.event';
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
    const { order } = event;
    if (inStatement(order)) return this.coupons.holdPart(order.statement, order.userId, order.userCouponIdSql, order.orderId);
    if (order.userCouponId === null) return;
    if (!(await this.coupons.hold(order.userId, order.userCouponId, order.orderId))) {
      throw new CouponNotAvailableError('it has been used, has expired, or another order is being paid with it');
    }
  }
}
