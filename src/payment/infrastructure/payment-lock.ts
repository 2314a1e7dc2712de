import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import Redlock, { ExecutionError, Lock, ResourceLockedError } from 'redlock';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { ServiceUnavailableError } from '../../common/errors/service-unavailable.error';
import { REDIS } from '../../common/redis/redis.module';
import { PaymentInProgressError } from '../domain/payment.errors';

/**
 * The original design's lock, `payment:order:{orderId}`, in a namespace no data key shares. It
 * only saves duplicate work: the PENDING guard in Postgres is what makes a second payment
 * impossible, even when this lock expires mid-flight.
 */
@Injectable()
export class PaymentLock {
  private readonly redlock: Redlock;
  private readonly ttlMs: number;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.ttlMs = config.PAYMENT_LOCK_TTL_MS;
    this.logger.setContext(PaymentLock.name);
    // No retries: a busy order answers 409 at once instead of queueing clients.
    this.redlock = new Redlock([redis], { retryCount: 0, driftFactor: 0.01 });
  }

  async acquire(orderId: number): Promise<Lock> {
    try {
      return await this.redlock.acquire([`payment:order:${orderId}`], this.ttlMs);
    } catch (error) {
      if (await isHeldByAnother(error)) throw new PaymentInProgressError();
      throw new ServiceUnavailableError('The payment lock service is unavailable');
    }
  }

  /** Never fails the caller: after a commit the payment stands, and the lock expires by itself. */
  async release(lock: Lock, orderId: number): Promise<void> {
    try {
      await lock.release();
    } catch (error) {
      this.logger.warn({ orderId, err: error }, `payment lock release failed; it expires within ${this.ttlMs} ms`);
    }
  }
}

async function isHeldByAnother(error: unknown): Promise<boolean> {
  if (!(error instanceof ExecutionError)) return false;
  const stats = await Promise.all(error.attempts);
  return stats.some((s) => [...s.votesAgainst.values()].some((e) => e instanceof ResourceLockedError));
}
