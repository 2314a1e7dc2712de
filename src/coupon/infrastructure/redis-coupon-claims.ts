import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../../common/redis/redis.module';
import { CouponClaims } from '../application/ports/coupon-claims.port';

const CLAIM_TTL_MS = 60_000;

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type ClaimCommands = Redis & { couponReleaseClaim(key: string, orderId: string): Promise<number> };

/** Coupon claims on Redis: `coupon-claim:{userCouponId}` holds the order's id and expires after CLAIM_TTL_MS. */
@Injectable()
export class RedisCouponClaims implements CouponClaims {
  private readonly redis: ClaimCommands;

  constructor(@Inject(REDIS) redis: Redis) {
    redis.defineCommand('couponReleaseClaim', { numberOfKeys: 1, lua: RELEASE_IF_OWNER });
    this.redis = redis as ClaimCommands;
  }

  async claim(userCouponId: number, orderId: number): Promise<boolean> {
    const key = claimKey(userCouponId);
    if ((await this.redis.set(key, String(orderId), 'PX', CLAIM_TTL_MS, 'NX')) === 'OK') return true;
    return (await this.redis.get(key)) === String(orderId);
  }

  /** A script, so that only the order's own claim is deleted. */
  async release(userCouponId: number, orderId: number): Promise<void> {
    await this.redis.couponReleaseClaim(claimKey(userCouponId), String(orderId));
  }
}

function claimKey(userCouponId: number): string {
  return `coupon-claim:${userCouponId}`;
}
