import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { PeriodicJob } from '../../scheduling/periodic-job';
import { OutboxRepository } from './outbox.repository';

const EVERY_MS = 10 * 60_000;
/** Small batches keep each DELETE short. */
const BATCH_SIZE = 5_000;
/** The sales ranking is rebuilt from its own order.processed rows over up to 30 days. */
const RANKING_SOURCE_DAYS = 31;

/**
 * Deletes DELIVERED outbox rows older than OUTBOX_RETENTION_DAYS (PENDING and DEAD rows are
 * never touched), keeping the sales-ranking consumer's rows for the whole ranking window.
 */
@Injectable()
export class PurgeDeliveredOutboxJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    private readonly outbox: OutboxRepository,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PurgeDeliveredOutboxJob.name);
    this.job = new PeriodicJob(registry, 'outbox-purge', () => this.purge(), (error) =>
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
    const keep = { default: days, 'sales-ranking': Math.max(days, RANKING_SOURCE_DAYS) };
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
