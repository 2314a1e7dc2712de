import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../../common/redis/redis.module';

/**
 * A short-lived Redis claim on a user coupon while an order paying with it is in flight, so a
 * second order using the same coupon is refused at once instead of queueing on the row lock.
 * Postgres (status AVAILABLE → USED) decides; the claim only expires by itself, so a crash
 * between claiming and committing can never leave a coupon marked used for long.
 */
const CLAIM_TTL_MS = 60_000;

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type ClaimCommands = Redis & { couponReleaseClaim(key: string, orderId: string): Promise<number> };

@Injectable()
export class CouponClaims {
  private readonly redis: ClaimCommands;

  constructor(@Inject(REDIS) redis: Redis) {
    redis.defineCommand('couponReleaseClaim', { numberOfKeys: 1, lua: RELEASE_IF_OWNER });
    this.redis = redis as ClaimCommands;
  }

  /** True when this order holds the claim (newly or already, e.g. a retry of the same order). */
  async claim(userCouponId: number, orderId: number): Promise<boolean> {
    const key = claimKey(userCouponId);
    if ((await this.redis.set(key, String(orderId), 'PX', CLAIM_TTL_MS, 'NX')) === 'OK') return true;
    return (await this.redis.get(key)) === String(orderId);
  }

  /** Idempotent, and harmless out of order: it only deletes this order's own claim. */
  async release(userCouponId: number, orderId: number): Promise<void> {
    await this.redis.couponReleaseClaim(claimKey(userCouponId), String(orderId));
  }
}

function claimKey(userCouponId: number): string {
  return `coupon-claim:${userCouponId}`;
}
