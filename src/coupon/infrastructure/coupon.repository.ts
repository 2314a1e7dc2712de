import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import type { StoredCouponStatus } from '../domain/coupon';
import { CouponTerms } from '../domain/coupon';
import { DiscountType } from '../domain/discount';

export interface CouponRow extends CouponTerms {
  id: number;
  issuedQuantity: number;
}

export interface UserCouponRow {
  userCouponId: number;
  couponId: number;
  name: string;
  discountType: DiscountType;
  discountValue: number;
  status: StoredCouponStatus;
  expiresAt: Date | null;
}

export interface GateState {
  remaining: number;
  expiresAt: Date | null;
  holders: number[];
}

const COUPON_COLUMNS = `id, name, discount_type AS "discountType", discount_value AS "discountValue",
  total_quantity AS "totalQuantity", issued_quantity AS "issuedQuantity", expires_at AS "expiresAt"`;
const USER_COUPON_COLUMNS = `uc.id AS "userCouponId", c.id AS "couponId", c.name, c.discount_type AS "discountType",
  c.discount_value AS "discountValue", uc.status, c.expires_at AS "expiresAt"`;

/** Postgres is the record of truth for coupons; the Redis gate is rebuilt from what this reads. */
@Injectable()
export class CouponRepository {
  constructor(private readonly sql: Sql) {}

  async create(terms: CouponTerms): Promise<CouponRow> {
    const rows = await this.sql.rows<CouponRow>(
      `INSERT INTO coupons (name, discount_type, discount_value, total_quantity, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COUPON_COLUMNS}`,
      [terms.name, terms.discountType, terms.discountValue, terms.totalQuantity, terms.expiresAt],
    );
    return rows[0];
  }

  async find(id: number): Promise<CouponRow | null> {
    const rows = await this.sql.rows<CouponRow>(`SELECT ${COUPON_COLUMNS} FROM coupons WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Issues one coupon in a single statement: the campaign's count goes up only if it stays
   * within the total and the campaign has not expired, and the holder row is written in the
   * same statement. A second coupon for the same user violates UNIQUE (coupon_id, user_id),
   * which aborts the whole statement, count included. Being one statement, it holds the
   * campaign row's lock for one round trip only, however many users race for it.
   * Returns the user coupon's id, null when nothing was issued (sold out, expired or missing),
   * or 'ALREADY_HELD'.
   */
  async issue(couponId: number, userId: number): Promise<number | null | 'ALREADY_HELD'> {
    try {
      const rows = await this.sql.rows<{ id: number }>(
        `WITH counted AS (
           UPDATE coupons SET issued_quantity = issued_quantity + 1
           WHERE id = $1 AND issued_quantity < total_quantity AND (expires_at IS NULL OR expires_at > now())
           RETURNING id)
         INSERT INTO user_coupons (coupon_id, user_id) SELECT id, $2 FROM counted RETURNING id`,
        [couponId, userId],
      );
      return rows[0]?.id ?? null;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') return 'ALREADY_HELD';
      throw error;
    }
  }

  /** AVAILABLE → USED for this order, unless used already or the campaign expired. */
  async markUsed(userId: number, userCouponId: number, orderId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE user_coupons uc SET status = 'USED', used_order_id = $3, used_at = now()
       FROM coupons c
       WHERE uc.id = $1 AND uc.user_id = $2 AND uc.status = 'AVAILABLE' AND c.id = uc.coupon_id
         AND (c.expires_at IS NULL OR c.expires_at > now())
       RETURNING uc.id`,
      [userCouponId, userId, orderId],
    );
    return rows.length === 1;
  }

  /**
   * AVAILABLE → HELD by this order, for as long as its card payment is with the gateway; false
   * when the coupon is used, expired, or held by another order.
   */
  async hold(userId: number, userCouponId: number, orderId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE user_coupons uc SET status = 'HELD', used_order_id = $3
       FROM coupons c
       WHERE uc.id = $1 AND uc.user_id = $2 AND uc.status = 'AVAILABLE' AND c.id = uc.coupon_id
         AND (c.expires_at IS NULL OR c.expires_at > now())
       RETURNING uc.id`,
      [userCouponId, userId, orderId],
    );
    return rows.length === 1;
  }

  /** HELD by this order → USED: it was valid when the payment started, and the gateway charged with its discount. */
  async useHeld(userCouponId: number, orderId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE user_coupons SET status = 'USED', used_at = now() WHERE id = $1 AND status = 'HELD' AND used_order_id = $2 RETURNING id`,
      [userCouponId, orderId],
    );
    return rows.length === 1;
  }

  /** USED by this order → AVAILABLE, unless its campaign has expired; false when it stays as it is. */
  async releaseUsed(userCouponId: number, orderId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE user_coupons uc SET status = 'AVAILABLE', used_order_id = NULL, used_at = NULL
       FROM coupons c
       WHERE uc.id = $1 AND uc.status = 'USED' AND uc.used_order_id = $2 AND c.id = uc.coupon_id
         AND (c.expires_at IS NULL OR c.expires_at > now())
       RETURNING uc.id`,
      [userCouponId, orderId],
    );
    return rows.length === 1;
  }

  /** HELD by this order → AVAILABLE; idempotent. */
  async releaseHold(userCouponId: number, orderId: number): Promise<void> {
    await this.sql.rows(`UPDATE user_coupons SET status = 'AVAILABLE', used_order_id = NULL WHERE id = $1 AND status = 'HELD' AND used_order_id = $2`, [
      userCouponId,
      orderId,
    ]);
  }

  async listForUser(userId: number): Promise<UserCouponRow[]> {
    return this.sql.rows(
      `SELECT ${USER_COUPON_COLUMNS} FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
       WHERE uc.user_id = $1 ORDER BY uc.id`,
      [userId],
    );
  }

  async findForUser(userId: number, userCouponId: number): Promise<UserCouponRow | null> {
    const rows = await this.sql.rows<UserCouponRow>(
      `SELECT ${USER_COUPON_COLUMNS} FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
       WHERE uc.user_id = $1 AND uc.id = $2`,
      [userId, userCouponId],
    );
    return rows[0] ?? null;
  }

  /** Everything the Redis gate needs, read in one snapshot. */
  async gateState(couponId: number): Promise<GateState | null> {
    const rows = await this.sql.rows<{ remaining: number; expiresAt: Date | null; holders: string[] | null }>(
      `SELECT c.total_quantity - c.issued_quantity AS remaining, c.expires_at AS "expiresAt",
              (SELECT array_agg(user_id::text) FROM user_coupons WHERE coupon_id = c.id) AS holders
       FROM coupons c WHERE c.id = $1`,
      [couponId],
    );
    if (rows.length === 0) return null;
    return { remaining: rows[0].remaining, expiresAt: rows[0].expiresAt, holders: (rows[0].holders ?? []).map(Number) };
  }

  async openCampaignIds(): Promise<number[]> {
    const rows = await this.sql.rows<{ id: number }>(
      'SELECT id FROM coupons WHERE expires_at IS NULL OR expires_at > now() ORDER BY id',
    );
    return rows.map((r) => r.id);
  }
}
