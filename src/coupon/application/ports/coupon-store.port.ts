import type { OneStatement } from '../../../common/database/one-statement';
import type { CouponTerms, StoredCouponStatus } from '../../domain/coupon';
import type { DiscountType } from '../../domain/discount';
import type { GateState } from './coupon-gate.port';

export interface CouponRecord extends CouponTerms {
  id: number;
  issuedQuantity: number;
}

export interface UserCouponRecord {
  userCouponId: number;
  couponId: number;
  name: string;
  discountType: DiscountType;
  discountValue: number;
  status: StoredCouponStatus;
  expiresAt: Date | null;
}

/** The coupons and user_coupons tables: Postgres is the record of truth for coupons; the gate is rebuilt from what this reads. */
export abstract class CouponStore {
  abstract create(terms: CouponTerms): Promise<CouponRecord>;
  abstract find(id: number): Promise<CouponRecord | null>;
  /**
   * Issues one coupon at once: the campaign's count goes up only if it stays within the total
   * and the campaign has not expired, together with the holder's coupon; a user holds at most
   * one of each campaign. Returns the user coupon's id, null when nothing was issued (sold out,
   * expired or missing), or 'ALREADY_HELD'.
   */
  abstract issue(couponId: number, userId: number): Promise<number | null | 'ALREADY_HELD'>;
  /** AVAILABLE → USED for this order, unless used already or the campaign expired. */
  abstract markUsed(userId: number, userCouponId: number, orderId: number): Promise<boolean>;
  /**
   * AVAILABLE → HELD by this order, for as long as its card payment is with the gateway; false
   * when the coupon is used, expired, or held by another order.
   */
  abstract hold(userId: number, userCouponId: number, orderId: number): Promise<boolean>;
  /** `hold` as a part of a gateway payment's one statement (OneStatement), checked to have held the coupon; `userCouponIdSql` is SQL of the statement, NULL for an order without one. */
  abstract holdPart(statement: OneStatement, userId: number, userCouponIdSql: string, orderId: number): void;
  /** HELD by this order → USED: it was valid when the payment started, and the gateway charged with its discount. */
  abstract useHeld(userCouponId: number, orderId: number): Promise<boolean>;
  /** `useHeld` as a part of a payment's one statement (OneStatement), checked to have used the coupon; `userCouponIdSql` as for holdPart. */
  abstract useHeldPart(statement: OneStatement, userCouponIdSql: string, orderId: number): void;
  /** USED by this order → AVAILABLE, unless its campaign has expired; false when it stays as it is. */
  abstract releaseUsed(userCouponId: number, orderId: number): Promise<boolean>;
  /** HELD by this order → AVAILABLE; idempotent. */
  abstract releaseHold(userCouponId: number, orderId: number): Promise<void>;
  abstract listForUser(userId: number): Promise<UserCouponRecord[]>;
  abstract findForUser(userId: number, userCouponId: number): Promise<UserCouponRecord | null>;
  /** Everything the gate needs, read in one snapshot; null when the campaign does not exist. */
  abstract gateState(couponId: number): Promise<GateState | null>;
  /** Campaigns that have not expired, by id. */
  abstract openCampaignIds(): Promise<number[]>;
}
