import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import {
  OrderPayingEvent,
  OrderPayingReleasedEvent,
  OrderPaymentFailEvent,
  OrderProcessingEvent,
  OrderProcessingFailEvent,
} from '../../../payment/application/events/payment-events';
import { CouponNotAvailableError } from '../../domain/coupon.errors';
import { CouponClaims } from '../../infrastructure/coupon-claims';
import { CouponRepository } from '../../infrastructure/coupon.repository';

/** The payment's coupon step, with its undo beside it. */
@Injectable()
export class OnOrderProcessingUseCouponListener {
  constructor(
    private readonly claims: CouponClaims,
    private readonly coupons: CouponRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(OnOrderProcessingUseCouponListener.name);
  }

  /**
   * In the payment transaction: the order's coupon becomes USED (Redis claim, then the row), or,
   * when a card payment held it for this order, straight from HELD.
   */
  @OnSyncEvent(OrderProcessingEvent.NAME)
  async useCoupon(event: OrderProcessingEvent): Promise<void> {
    if (event.userCouponId === null) return;
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

  /** In the first transaction of a card payment: the coupon is held for this order while the gateway decides. */
  @OnSyncEvent(OrderPayingEvent.NAME)
  async holdCoupon(event: OrderPayingEvent): Promise<void> {
    if (event.userCouponId === null) return;
    if (!(await this.coupons.hold(event.userId, event.userCouponId, event.orderId))) {
      throw new CouponNotAvailableError('it has been used, has expired, or another order is being paid with it');
    }
  }

  /** The undo of holdCoupon, in the transaction that ends the card payment without a charge. */
  @OnSyncEvent(OrderPayingReleasedEvent.NAME)
  async releaseHold(event: OrderPayingReleasedEvent): Promise<void> {
    if (event.userCouponId === null) return;
    await this.coupons.releaseHold(event.userCouponId, event.orderId);
  }

  /**
   * The undo of useCoupon, after the payment rolled back: the row went back with it, so the
   * Redis claim goes too. Idempotent, and harmless out of order: it only drops this order's claim.
   */
  @OnSyncEvent(OrderProcessingFailEvent.NAME, OrderPaymentFailEvent.NAME)
  async releaseClaim(event: OrderProcessingFailEvent | OrderPaymentFailEvent): Promise<void> {
    if (event.userCouponId === null) return;
    await this.claims.release(event.userCouponId, event.orderId);
    this.logger.info(
      { orderId: event.orderId, userId: event.userId, userCouponId: event.userCouponId, reason: event.reason },
      'payment failed: coupon claim released, coupon stays AVAILABLE',
    );
  }
}
