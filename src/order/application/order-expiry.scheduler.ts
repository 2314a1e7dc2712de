import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { PeriodicJob } from '../../common/scheduling/periodic-job';
import { ExpireOrdersUseCase } from './expire-orders.use-case';

/**
 * Sweeps overdue orders every ORDER_SWEEP_INTERVAL_MS (0: not in this instance). Other
 * instances may sweep at the same time, since each batch skips rows another instance holds.
 */
@Injectable()
export class OrderExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    expireOrders: ExpireOrdersUseCase,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    logger: PinoLogger,
  ) {
    logger.setContext(OrderExpiryScheduler.name);
    this.job = new PeriodicJob(registry, 'order-expiry', () => expireOrders.execute(config.ORDER_SWEEP_BATCH_SIZE), (error) =>
      logger.warn({ err: error }, 'order expiry sweep failed; retrying on the next tick'),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.ORDER_SWEEP_INTERVAL_MS > 0) this.job.start(this.config.ORDER_SWEEP_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
