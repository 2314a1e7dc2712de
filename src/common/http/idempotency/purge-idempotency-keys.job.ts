import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PeriodicJob } from '../../scheduling/periodic-job';
import { Jobs } from '../../scheduling/jobs';
import { IdempotencyKeyRepository } from './idempotency-key.repository';

const EVERY_MS = 10 * 60_000;
/** Small batches keep each DELETE short, so it never holds many row locks at once. */
const BATCH_SIZE = 1_000;

/**
 * Deletes keys past their 24 h every 10 minutes, starting once the app is up and never
 * overlapping itself. An expired key is already ignored when a request meets it; this only
 * keeps the table small.
 */
@Injectable()
export class PurgeIdempotencyKeysJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    private readonly keys: IdempotencyKeyRepository,
    jobs: Jobs,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PurgeIdempotencyKeysJob.name);
    this.job = jobs.declare('idempotency-key-purge', 'every-worker', () => this.purge(), (error) =>
      this.logger.warn({ err: error }, 'idempotency key purge failed; retrying on the next tick'),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start(EVERY_MS);
  }

  /** Before the pools close: a purge in progress finishes, no new one starts. */
  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Returns how many keys it removed. */
  async purge(): Promise<number> {
    let removed = 0;
    let batch: number;
    do {
      batch = await this.keys.purgeExpired(BATCH_SIZE);
      removed += batch;
    } while (batch === BATCH_SIZE);
    if (removed > 0) this.logger.info({ removed }, 'expired idempotency keys purged');
    return removed;
  }
}
