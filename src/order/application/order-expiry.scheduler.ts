import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PeriodicJob } from '../../common/scheduling/periodic-job';
import { Jobs } from '../../common/scheduling/jobs';
import { ExpireOrdersUseCase } from './expire-orders.use-case';
import { OrderSettings } from '../order.settings';

/**
 * Sweeps overdue orders every ORDER_SWEEP_INTERVAL_MS (0: not in this instance). Other
 * instances may sweep at the same time, since each batch skips rows another instance holds.
 */
@Injectable()
export class OrderExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    expireOrders: ExpireOrdersUseCase,
    jobs: Jobs,
    private readonly config: OrderSettings,
    logger: PinoLogger,
  ) {
    logger.setContext(OrderExpiryScheduler.name);
    this.job = jobs.declare('order-expiry', 'background', () => expireOrders.execute(config.ORDER_SWEEP_BATCH_SIZE), (error) =>
      logger.warn({ err: error }, 'order expiry sweep failed; retrying on the next tick'),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.ORDER_SWEEP_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
