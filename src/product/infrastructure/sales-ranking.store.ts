import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../../common/redis/redis.module';
import { RANKING_WINDOW_DAYS } from '../domain/shop-calendar';

/**
 * One product's units in one sale (`saleId` the order id) or one refund (`saleId` "r" + the
 * refund id, a negative quantity): each sale or refund is counted into its day once.
 */
export interface SaleLine {
  saleId: string;
  productId: number;
  quantity: number;
}

/** Kept a little longer than the widest window GET /products/top can ask for. */
const DAY_TTL_SECONDS = (RANKING_WINDOW_DAYS + 10) * 24 * 3600;

/**
 * Counts one paid order into its day, once: the day's set of counted order ids makes a
 * redelivered event a no-op. A day without its "built" marker was lost (flush, restart) and
 * must be rebuilt from Postgres before anything is counted into it.
 * ARGV: orderId, ttl, then productId, quantity pairs.
 */
const RECORD = `
if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
for i = 3, #ARGV, 2 do redis.call('ZINCRBY', KEYS[1], ARGV[i + 1], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[2]); redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1`;

/**
 * Writes a whole day from Postgres, unless another rebuild got there first (then the day
 * already holds at least as much). ARGV: ttl, then orderId, productId, quantity triples.
 */
const REBUILD = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
for i = 2, #ARGV, 3 do
  redis.call('SADD', KEYS[2], ARGV[i])
  redis.call('ZINCRBY', KEYS[1], ARGV[i + 2], ARGV[i + 1])
end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[1]); redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1`;

type RankingCommands = Redis & {
  rankingRecord(z: string, orders: string, built: string, ...args: (string | number)[]): Promise<number>;
  rankingRebuild(z: string, orders: string, built: string, ...args: (string | number)[]): Promise<number>;
};

@Injectable()
export class SalesRankingStore {
  private readonly redis: RankingCommands;

  constructor(@Inject(REDIS) redis: Redis) {
    redis.defineCommand('rankingRecord', { numberOfKeys: 3, lua: RECORD });
    redis.defineCommand('rankingRebuild', { numberOfKeys: 3, lua: REBUILD });
    this.redis = redis as RankingCommands;
  }

  /** 'COUNTED', 'DUPLICATE', or 'DAY_MISSING' when the day must be rebuilt first. */
  async record(day: string, saleId: string, lines: { productId: number; quantity: number }[]): Promise<'COUNTED' | 'DUPLICATE' | 'DAY_MISSING'> {
    const k = keys(day);
    const result = await this.redis.rankingRecord(k.scores, k.orders, k.built, saleId, DAY_TTL_SECONDS, ...lines.flatMap((l) => [l.productId, l.quantity]));
    return result === 1 ? 'COUNTED' : result === 0 ? 'DUPLICATE' : 'DAY_MISSING';
  }

  /** The days among `days` whose ranking Redis does not hold, in one round trip. */
  async unbuilt(days: string[]): Promise<string[]> {
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.exists(keys(day).built);
    const results = (await pipeline.exec()) ?? [];
    return days.filter((_, i) => {
      const [error, exists] = results[i] ?? [new Error('no reply'), 0];
      if (error) throw error;
      return exists !== 1;
    });
  }

  async rebuild(day: string, lines: SaleLine[]): Promise<void> {
    const k = keys(day);
    await this.redis.rankingRebuild(k.scores, k.orders, k.built, DAY_TTL_SECONDS, ...lines.flatMap((l) => [l.saleId, l.productId, l.quantity]));
  }

  /** Sums the given days and returns the best sellers, highest first (ties by product id). */
  async top(days: string[], limit: number): Promise<{ productId: number; salesQuantity: number }[]> {
    const flat = await this.redis.zunion(days.length, ...days.map((d) => keys(d).scores), 'WITHSCORES');
    const totals: { productId: number; salesQuantity: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      // A product whose every sold unit was refunded sold nothing.
      if (Number(flat[i + 1]) > 0) totals.push({ productId: Number(flat[i]), salesQuantity: Number(flat[i + 1]) });
    }
    return totals.sort((a, b) => b.salesQuantity - a.salesQuantity || a.productId - b.productId).slice(0, limit);
  }
}

function keys(day: string) {
  return { scores: `ranking:${day}:scores`, orders: `ranking:${day}:orders`, built: `ranking:${day}:built` };
}
