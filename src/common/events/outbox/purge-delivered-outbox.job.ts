import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PeriodicJob } from '../../scheduling/periodic-job';
import { Jobs } from '../../scheduling/jobs';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxRepository } from './outbox.repository';
import { CommonSettings } from '../../config/common.settings';

const EVERY_MS = 10 * 60_000;
/** Small batches keep each DELETE short. */
const BATCH_SIZE = 5_000;

/**
 * Deletes DELIVERED outbox rows older than OUTBOX_RETENTION_DAYS (PENDING and DEAD rows are
 * never touched), or older than what a consumer declared it keeps (@OnOutboxEvent's
 * retentionDays) when that is longer.
 */
@Injectable()
export class PurgeDeliveredOutboxJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly consumers: OutboxConsumers,
    jobs: Jobs,
    private readonly config: CommonSettings,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PurgeDeliveredOutboxJob.name);
    this.job = jobs.declare('outbox-purge', 'every-worker', () => this.purge(), (error) =>
      this.logger.warn({ err: error }, 'outbox purge failed; retrying on the next tick'),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start(EVERY_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Returns how many rows it removed. */
  async purge(): Promise<number> {
    const days = this.config.OUTBOX_RETENTION_DAYS;
    const keep: { default: number } & Record<string, number> = { default: days };
    for (const [consumer, declared] of this.consumers.retentionDays()) keep[consumer] = Math.max(days, declared);
    let removed = 0;
    let batch: number;
    do {
      batch = await this.outbox.purgeDelivered(keep, BATCH_SIZE);
      removed += batch;
    } while (batch === BATCH_SIZE);
    if (removed > 0) this.logger.info({ removed, retentionDays: days }, 'delivered outbox rows purged');
    return removed;
  }
}
