import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderProcessingEvent } from '../../../payment/application/events/order-processing.event';
import { CouponNotAvailableError } from '../../domain/coupon.errors';
import { CouponClaims } from '../ports/coupon-claims.port';
import { CouponStore } from '../ports/coupon-store.port';

/**
 * In the payment's transaction: the order's coupon becomes USED (Redis claim, then the row), or,
 * when a gateway payment held it for this order, straight from HELD, which is also its part of
 * the completing one statement. Undone after a rollback by release-coupon-claim.
 */
@Injectable()
export class UseCouponOnOrderProcessing {
  constructor(
    private readonly claims: CouponClaims,
    private readonly coupons: CouponStore,
  ) {}

  @OnSyncEvent(OrderProcessingEvent, 'coupon.use-coupon')
  async useCoupon(event: OrderProcessingEvent): Promise<void> {
    if (event.userCouponId === null) return;
    if (event.couponHeld && event.statement) return this.coupons.useHeldPart(event.statement, event.userCouponId, event.orderId);
    // A Redis claim cannot roll back with a statement: a balance payment with a coupon is paid the transaction way.
    if (event.statement) throw new Error(`order ${event.orderId} has a coupon: it cannot be paid as one statement`);
    if (event.couponHeld) {
      if (!(await this.coupons.useHeld(event.userCouponId, event.orderId))) throw new Error(`coupon ${event.userCouponId} was not held by order ${event.orderId}`);
      return;
    }
    if (!(await this.claims.claim(event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('another order is being paid with it');
    }
    if (!(await this.coupons.markUsed(event.userId, event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('it has been used or has expired');
    }
  }
}
