import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
import { Sql } from '../../common/database/sql';
import { CouponTerms } from '../domain/coupon';
import type { GateState } from '../application/ports/coupon-gate.port';
import { CouponRecord, CouponStore, UserCouponRecord } from '../application/ports/coupon-store.port';

const COUPON_COLUMNS = `id, name, discount_type AS "discountType", discount_value AS "discountValue",
  total_quantity AS "totalQuantity", issued_quantity AS "issuedQuantity", expires_at AS "expiresAt"`;
const USER_COUPON_COLUMNS = `uc.id AS "userCouponId", c.id AS "couponId", c.name, c.discount_type AS "discountType",
  c.discount_value AS "discountValue", uc.status, c.expires_at AS "expiresAt"`;

@Injectable()
export class CouponRepository implements CouponStore {
  constructor(private readonly sql: Sql) {}

  async create(terms: CouponTerms): Promise<CouponRecord> {
    const rows = await this.sql.rows<CouponRecord>(
      `INSERT INTO coupons (name, discount_type, discount_value, total_quantity, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COUPON_COLUMNS}`,
      [terms.name, terms.discountType, terms.discountValue, terms.totalQuantity, terms.expiresAt],
    );
    return rows[0];
  }

  async find(id: number): Promise<CouponRecord | null> {
    const rows = await this.sql.rows<CouponRecord>(`SELECT ${COUPON_COLUMNS} FROM coupons WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * A single statement: the count and the holder row together. A second coupon for the same
   * user violates UNIQUE (coupon_id, user_id), which aborts the whole statement, count included.
   * Being one statement, it holds the campaign row's lock for one round trip only, however many
   * users race for it.
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

  holdPart(statement: OneStatement, userId: number, userCouponIdSql: string, orderId: number): void {
    statement.guard(
      'coupon_held',
      `UPDATE user_coupons uc SET status = 'HELD', used_order_id = ${statement.param(orderId, 'bigint')}
       FROM coupons c
       WHERE uc.id = ${userCouponIdSql} AND uc.user_id = ${statement.param(userId, 'bigint')} AND uc.status = 'AVAILABLE' AND c.id = uc.coupon_id
         AND (c.expires_at IS NULL OR c.expires_at > now())
       RETURNING uc.id`,
      `${userCouponIdSql} IS NULL OR (SELECT count(*) FROM coupon_held) = 1`,
    );
  }

  async useHeld(userCouponId: number, orderId: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE user_coupons SET status = 'USED', used_at = now() WHERE id = $1 AND status = 'HELD' AND used_order_id = $2 RETURNING id`,
      [userCouponId, orderId],
    );
    return rows.length === 1;
  }

  useHeldPart(statement: OneStatement, userCouponIdSql: string, orderId: number): void {
    statement.guard(
      'coupon_used',
      `UPDATE user_coupons SET status = 'USED', used_at = now()
       WHERE id = ${userCouponIdSql} AND status = 'HELD' AND used_order_id = ${statement.param(orderId, 'bigint')} RETURNING id`,
      `${userCouponIdSql} IS NULL OR (SELECT count(*) FROM coupon_used) = 1`,
    );
  }

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

  async releaseHold(userCouponId: number, orderId: number): Promise<void> {
    await this.sql.rows(`UPDATE user_coupons SET status = 'AVAILABLE', used_order_id = NULL WHERE id = $1 AND status = 'HELD' AND used_order_id = $2`, [
      userCouponId,
      orderId,
    ]);
  }

  async listForUser(userId: number): Promise<UserCouponRecord[]> {
    return this.sql.rows(
      `SELECT ${USER_COUPON_COLUMNS} FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
       WHERE uc.user_id = $1 ORDER BY uc.id`,
      [userId],
    );
  }

  async findForUser(userId: number, userCouponId: number): Promise<UserCouponRecord | null> {
    const rows = await this.sql.rows<UserCouponRecord>(
      `SELECT ${USER_COUPON_COLUMNS} FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
       WHERE uc.user_id = $1 AND uc.id = $2`,
      [userId, userCouponId],
    );
    return rows[0] ?? null;
  }

  /** One statement, so one snapshot. */
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
