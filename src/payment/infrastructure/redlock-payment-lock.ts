import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import Redlock, { ExecutionError, ResourceLockedError } from 'redlock';
import { ServiceUnavailableError } from '../../common/errors/service-unavailable.error';
import { REDIS } from '../../common/redis/redis.module';
import { PaymentInProgressError } from '../domain/payment.errors';
import { HeldPaymentLock, PaymentLock } from '../application/ports/payment-lock.port';
import { PaymentSettings } from '../payment.settings';

/** The payment lock on Redis (redlock), in a namespace no data key shares: `payment:order:{orderId}:user:{userId}`. */
@Injectable()
export class RedlockPaymentLock implements PaymentLock {
  private readonly redlock: Redlock;
  private readonly ttlMs: number;

  constructor(
    @Inject(REDIS) redis: Redis,
    config: PaymentSettings,
    private readonly logger: PinoLogger,
  ) {
    this.ttlMs = config.PAYMENT_LOCK_TTL_MS;
    this.logger.setContext(RedlockPaymentLock.name);
    // No retries: a busy order answers 409 at once instead of queueing clients.
    this.redlock = new Redlock([redis], { retryCount: 0, driftFactor: 0.01 });
  }

  async acquire(orderId: number, userId: number): Promise<HeldPaymentLock> {
    try {
      return await this.redlock.acquire([`payment:order:${orderId}:user:${userId}`], this.ttlMs);
    } catch (error) {
      if (await isHeldByAnother(error)) throw new PaymentInProgressError();
      throw new ServiceUnavailableError('The payment lock service is unavailable');
    }
  }

  async release(lock: HeldPaymentLock, orderId: number): Promise<void> {
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
