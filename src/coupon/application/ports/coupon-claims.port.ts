/**
 * A short-lived claim on a user coupon while an order paying with it is in flight, so a second
 * order using the same coupon is refused at once instead of queueing on the row lock. Postgres
 * (status AVAILABLE → USED) decides; the claim only expires by itself, so a crash between
 * claiming and committing can never leave a coupon marked used for long.
 */
export abstract class CouponClaims {
  /** True when this order holds the claim (newly or already, e.g. a retry of the same order). */
  abstract claim(userCouponId: number, orderId: number): Promise<boolean>;
  /** Idempotent, and harmless out of order: it only deletes this order's own claim. */
  abstract release(userCouponId: number, orderId: number): Promise<void>;
}
