import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DomainError } from '../../common/errors/domain-error';
import { CouponAlreadyIssuedError, CouponExpiredError, CouponNotFoundError, CouponSoldOutError } from '../domain/coupon.errors';
import { CouponMetrics } from '../coupon.metrics';
import { CouponGate, GateVerdict } from './ports/coupon-gate.port';
import { CouponStore } from './ports/coupon-store.port';
import { CouponGateSync } from './coupon-gate-sync';

export interface IssuedCoupon {
  userCouponId: number;
  couponId: number;
  status: 'AVAILABLE';
}

const REFUSALS: Partial<Record<GateVerdict, () => DomainError>> = {
  ALREADY_ISSUED: () => new CouponAlreadyIssuedError(),
  SOLD_OUT: () => new CouponSoldOutError(),
  EXPIRED: () => new CouponExpiredError(),
};

/**
 * Redis turns away the losers of a first-come race without touching Postgres; each admitted
 * request is then written to Postgres under guards that alone decide (unique holder, issued
 * count never past the total, not expired). When the two disagree, Postgres wins and the gate
 * is corrected from it.
 */
@Injectable()
export class IssueCouponUseCase {
  constructor(
    private readonly coupons: CouponStore,
    private readonly gate: CouponGate,
    private readonly gateSync: CouponGateSync,
    private readonly logger: PinoLogger,
    private readonly metrics: CouponMetrics,
  ) {
    this.logger.setContext(IssueCouponUseCase.name);
  }

  async execute(userId: number, couponId: number): Promise<IssuedCoupon> {
    try {
      const issued = await this.issue(userId, couponId);
      this.metrics.issuance.inc({ result: 'ISSUED' });
      return issued;
    } catch (error) {
      this.metrics.issuance.inc({ result: error instanceof DomainError ? error.code : 'INTERNAL_ERROR' });
      throw error;
    }
  }

  private async issue(userId: number, couponId: number): Promise<IssuedCoupon> {
    let verdict = await this.gate.tryIssue(couponId, userId, new Date());
    if (verdict === 'MISSING') {
      await this.gateSync.fill(couponId);
      verdict = await this.gate.tryIssue(couponId, userId, new Date());
    }
    const refusal = REFUSALS[verdict];
    if (refusal) throw refusal();

    try {
      const userCouponId = await this.record(couponId, userId);
      this.logger.info({ couponId, userCouponId }, 'coupon issued');
      return { userCouponId, couponId, status: 'AVAILABLE' };
    } catch (error) {
      await this.compensate(couponId, userId, error);
      throw error;
    }
  }

  private async record(couponId: number, userId: number): Promise<number> {
    const issued = await this.coupons.issue(couponId, userId);
    if (issued === 'ALREADY_HELD') throw new CouponAlreadyIssuedError();
    if (issued !== null) return issued;
    const coupon = await this.coupons.find(couponId);
    if (!coupon) throw new CouponNotFoundError();
    throw coupon.expiresAt && coupon.expiresAt <= new Date() ? new CouponExpiredError() : new CouponSoldOutError();
  }

  /** A refusal from Postgres means the gate drifted: copy Postgres. Any other failure: give the slot back. */
  private async compensate(couponId: number, userId: number, cause: unknown): Promise<void> {
    try {
      if (cause instanceof DomainError) await this.gateSync.resync(couponId);
      else await this.gate.undoIssue(couponId, userId);
    } catch (error) {
      this.logger.error(
        { couponId, err: error, cause },
        'coupon gate compensation failed: the gate may under-count until restart or the next resync',
      );
    }
  }
}
