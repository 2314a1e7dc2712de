import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderProcessingEvent } from '../../../payment/application/events/order-processing.event';
import { inStatement } from '../../../payment/application/events/payment-flow.event';
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
    const { order } = event;
    if (inStatement(order)) {
      if (event.couponHeld) return this.coupons.useHeldPart(order.statement, order.userCouponIdSql, order.orderId);
      // A Redis claim cannot roll back with a statement: an order with a coupon fails it, nothing
      // written, and is paid the transaction way.
      return order.statement.check('order_without_coupon', `${order.userCouponIdSql} IS NULL`);
    }
    if (order.userCouponId === null) return;
    if (event.couponHeld) {
      if (!(await this.coupons.useHeld(order.userCouponId, order.orderId))) throw new Error(`coupon ${order.userCouponId} was not held by order ${order.orderId}`);
      return;
    }
    if (!(await this.claims.claim(order.userCouponId, order.orderId))) {
      throw new CouponNotAvailableError('another order is being paid with it');
    }
    if (!(await this.coupons.markUsed(order.userId, order.userCouponId, order.orderId))) {
      throw new CouponNotAvailableError('it has been used or has expired');
    }
  }
}
