import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../../common/redis/redis.module';
import { RANKING_WINDOW_DAYS } from '../domain/shop-calendar';
import { SaleLine, SalesRankingStore } from '../application/ports/sales-ranking-store.port';

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

/**
 * The best sellers of several days, picked in Redis: the days are summed into a scratch key
 * (dropped again in the same script, which nothing can interleave with) and only the top
 * `limit` come back, with the members tied at the cut so that ties go to the lowest product id
 * (Redis orders equal scores by member text, where "10" comes before "9").
 * KEYS: scratch, then the days' scores. ARGV: limit. Returns {member, score, ...}, {tied members}.
 */
const TOP = `
redis.call('ZUNIONSTORE', KEYS[1], #KEYS - 1, unpack(KEYS, 2))
local limit = tonumber(ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], 0, limit - 1, 'REV', 'WITHSCORES')
local tied = {}
if #top > 0 then
  tied = redis.call('ZRANGE', KEYS[1], top[#top], top[#top], 'BYSCORE')
  table.sort(tied, function(a, b) return tonumber(a) < tonumber(b) end)
  for i = #tied, limit + 1, -1 do tied[i] = nil end
end
redis.call('DEL', KEYS[1])
return {top, tied}`;

type RankingCommands = Redis & {
  rankingRecord(z: string, orders: string, built: string, ...args: (string | number)[]): Promise<number>;
  rankingRebuild(z: string, orders: string, built: string, ...args: (string | number)[]): Promise<number>;
  rankingTop(numberOfKeys: number, ...keysThenLimit: (string | number)[]): Promise<[string[], string[]]>;
};

/** The sales ranking on Redis: per day a sorted set of units by product, the set of counted sale ids, and a "built" marker. */
@Injectable()
export class RedisSalesRankingStore implements SalesRankingStore {
  private readonly redis: RankingCommands;

  constructor(@Inject(REDIS) redis: Redis) {
    redis.defineCommand('rankingRecord', { numberOfKeys: 3, lua: RECORD });
    redis.defineCommand('rankingRebuild', { numberOfKeys: 3, lua: REBUILD });
    redis.defineCommand('rankingTop', { lua: TOP });
    this.redis = redis as RankingCommands;
  }

  async record(day: string, saleId: string, lines: { productId: number; quantity: number }[]): Promise<'COUNTED' | 'DUPLICATE' | 'DAY_MISSING'> {
    const k = keys(day);
    const result = await this.redis.rankingRecord(k.scores, k.orders, k.built, saleId, DAY_TTL_SECONDS, ...lines.flatMap((l) => [l.productId, l.quantity]));
    return result === 1 ? 'COUNTED' : result === 0 ? 'DUPLICATE' : 'DAY_MISSING';
  }

  /** One round trip for all the days. */
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

  async top(days: string[], limit: number): Promise<{ productId: number; salesQuantity: number }[]> {
    const [top, tied] = await this.redis.rankingTop(days.length + 1, SCRATCH, ...days.map((d) => keys(d).scores), limit);
    const totals = new Map<number, number>();
    for (let i = 0; i < top.length; i += 2) totals.set(Number(top[i]), Number(top[i + 1]));
    const cut = Number(top[top.length - 1]);
    for (const member of tied) totals.set(Number(member), cut);
    return [...totals]
      .map(([productId, salesQuantity]) => ({ productId, salesQuantity }))
      // A product whose every sold unit was refunded sold nothing.
      .filter((t) => t.salesQuantity > 0)
      .sort((a, b) => b.salesQuantity - a.salesQuantity || a.productId - b.productId)
      .slice(0, limit);
  }
}

const SCRATCH = 'ranking:top-scratch';

function keys(day: string) {
  return { scores: `ranking:${day}:scores`, orders: `ranking:${day}:orders`, built: `ranking:${day}:built` };
}
