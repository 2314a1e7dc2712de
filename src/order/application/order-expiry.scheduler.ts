import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { ExpireOrdersUseCase } from './expire-orders.use-case';

const JOB = 'order-expiry';

/**
 * Sweeps overdue orders every ORDER_SWEEP_INTERVAL_MS. Started only once the app is up (a
 * sweep needs every listener registered), never overlapping itself; other instances may sweep
 * at the same time, since each batch skips rows another instance holds.
 */
@Injectable()
export class OrderExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly expireOrders: ExpireOrdersUseCase,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(OrderExpiryScheduler.name);
  }

  onApplicationBootstrap(): void {
    if (this.config.ORDER_SWEEP_INTERVAL_MS === 0) return;
    this.registry.addInterval(JOB, setInterval(() => this.tick(), this.config.ORDER_SWEEP_INTERVAL_MS));
  }

  /** Before the pools close: a sweep in progress finishes, no new one starts. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', JOB)) this.registry.deleteInterval(JOB);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.expireOrders
      .execute(this.config.ORDER_SWEEP_BATCH_SIZE)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'order expiry sweep failed; retrying on the next tick'))
      .finally(() => (this.running = null));
  }
}
