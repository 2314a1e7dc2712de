import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { CommonSettings } from '../config/common.settings';

export const REDIS = Symbol('REDIS');

/**
 * One client per process. Commands time out after 1 s and are retried once across a reconnect,
 * so an outage fails requests fast (503) while the client keeps reconnecting by itself.
 * Commands issued in the same tick (concurrent requests' locks, a relay batch's ranking
 * updates) leave in one socket write: on loopback each write costs more than the command.
 */
export function createRedis(config: CommonSettings, logger = new Logger('Redis')): Redis {
  const client = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    // ioredis repeats the same error on every reconnect attempt; one line per change is enough.
    if (error.message !== lastError) logger.warn({ err: error.message }, 'redis connection error');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) logger.log('redis connection restored');
    lastError = '';
  });
  return client;
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [CommonSettings], useFactory: (config: CommonSettings) => createRedis(config) }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
