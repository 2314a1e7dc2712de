import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../../common/redis/redis.module';
import { CouponGate, GateState, GateVerdict } from '../application/ports/coupon-gate.port';

const VERDICTS: Record<number, GateVerdict> = { 1: 'ADMITTED', 0: 'MISSING', [-1]: 'ALREADY_ISSUED', [-2]: 'SOLD_OUT', [-3]: 'EXPIRED' };

/**
 * First come, first served in one atomic step (the original design): has this user one
 * already, is any left, then take one and remember the user. Keys: the count left, the set
 * of holders, and the campaign's expiry.
 */
const TRY_ISSUE = `
local left = redis.call('GET', KEYS[1])
if not left then return 0 end
local expiresAt = tonumber(redis.call('HGET', KEYS[3], 'expiresAt') or '0')
if expiresAt > 0 and expiresAt <= tonumber(ARGV[2]) then return -3 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -1 end
if tonumber(left) <= 0 then return -2 end
redis.call('DECR', KEYS[1])
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** Gives back one admission whose Postgres write failed, unless the gate was rebuilt meanwhile. */
const UNDO_ISSUE = `
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('SREM', KEYS[2], ARGV[1]) == 1 then
  redis.call('INCR', KEYS[1])
end
return 1`;

const HOLDERS_CHUNK = 5_000;

type GateCommands = Redis & {
  couponTryIssue(left: string, holders: string, meta: string, userId: number, nowMs: number): Promise<number>;
  couponUndoIssue(left: string, holders: string, userId: number): Promise<number>;
};

/** The coupon gate on Redis: per campaign the count left, the set of holders and the campaign's expiry. */
@Injectable()
export class RedisCouponGate implements CouponGate {
  private readonly redis: GateCommands;

  constructor(@Inject(REDIS) redis: Redis) {
    redis.defineCommand('couponTryIssue', { numberOfKeys: 3, lua: TRY_ISSUE });
    redis.defineCommand('couponUndoIssue', { numberOfKeys: 2, lua: UNDO_ISSUE });
    this.redis = redis as GateCommands;
  }

  async tryIssue(couponId: number, userId: number, now: Date): Promise<GateVerdict> {
    const k = keys(couponId);
    const code = await this.redis.couponTryIssue(k.left, k.holders, k.meta, userId, now.getTime());
    return VERDICTS[code];
  }

  async undoIssue(couponId: number, userId: number): Promise<void> {
    const k = keys(couponId);
    await this.redis.couponUndoIssue(k.left, k.holders, userId);
  }

  /** Holders and expiry go first and the count last with NX, so a concurrent rebuild or a gate that already exists is never overwritten. */
  async fillIfMissing(couponId: number, state: GateState): Promise<void> {
    const k = keys(couponId);
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < state.holders.length; i += HOLDERS_CHUNK) pipeline.sadd(k.holders, ...state.holders.slice(i, i + HOLDERS_CHUNK));
    pipeline.hset(k.meta, 'expiresAt', state.expiresAt?.getTime() ?? 0);
    pipeline.set(k.left, state.remaining, 'NX');
    await pipeline.exec();
  }

  /** In one MULTI. */
  async overwrite(couponId: number, state: GateState): Promise<void> {
    const k = keys(couponId);
    const multi = this.redis.multi().del(k.left, k.holders, k.meta);
    for (let i = 0; i < state.holders.length; i += HOLDERS_CHUNK) multi.sadd(k.holders, ...state.holders.slice(i, i + HOLDERS_CHUNK));
    multi.hset(k.meta, 'expiresAt', state.expiresAt?.getTime() ?? 0).set(k.left, state.remaining);
    await multi.exec();
  }
}

/** Coupon keys share one namespace; lock keys (payment:order:*) never collide with it. */
function keys(couponId: number) {
  return { left: `coupon:${couponId}:left`, holders: `coupon:${couponId}:holders`, meta: `coupon:${couponId}:meta` };
}
