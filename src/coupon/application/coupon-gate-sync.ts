import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CouponNotFoundError } from '../domain/coupon.errors';
import { CouponGate } from './ports/coupon-gate.port';
import { CouponStore } from './ports/coupon-store.port';

/** Keeps the Redis gate a faithful copy of Postgres: filled when missing, reconciled at start. */
@Injectable()
export class CouponGateSync implements OnApplicationBootstrap {
  constructor(
    private readonly coupons: CouponStore,
    private readonly gate: CouponGate,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CouponGateSync.name);
  }

  async fill(couponId: number): Promise<void> {
    const state = await this.coupons.gateState(couponId);
    if (!state) throw new CouponNotFoundError();
    await this.gate.fillIfMissing(couponId, state);
    this.logger.info({ couponId, remaining: state.remaining, holders: state.holders.length }, 'coupon gate rebuilt from postgres');
  }

  async resync(couponId: number): Promise<void> {
    const state = await this.coupons.gateState(couponId);
    if (state) await this.gate.overwrite(couponId, state);
  }

  /**
   * A crash between a gate admission and its Postgres commit leaves Redis counting a coupon
   * that was never issued; replacing every open campaign's gate at start-up repairs that.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const ids = await this.coupons.openCampaignIds();
      for (const id of ids) await this.resync(id);
      if (ids.length > 0) this.logger.info({ campaigns: ids.length }, 'coupon gates reconciled with postgres');
    } catch (error) {
      // Missing gates are rebuilt on first use, so a Redis outage at start must not stop the app.
      this.logger.warn({ err: error }, 'coupon gate reconciliation skipped; gates will be rebuilt on first use');
    }
  }
}
