import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { PeriodicJob } from '../../common/scheduling/periodic-job';
import { ReconcileGatewayPaymentsUseCase } from './reconcile-gateway-payments.use-case';

/**
 * Reconciles gateway payments with the gateway at start-up (what a crash left half done) and then
 * every PG_RECONCILE_INTERVAL_MS (0: not in this instance; another may run it).
 */
@Injectable()
export class ReconcileGatewayPaymentsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    reconcile: ReconcileGatewayPaymentsUseCase,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    logger: PinoLogger,
  ) {
    logger.setContext(ReconcileGatewayPaymentsJob.name);
    this.job = new PeriodicJob(registry, 'gateway-payment-reconciler', () => reconcile.execute(), (error) =>
      logger.warn({ err: error }, 'gateway payment reconciliation failed; retrying on the next tick'),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.PG_BASE_URL && this.config.PG_RECONCILE_INTERVAL_MS > 0) this.job.start(this.config.PG_RECONCILE_INTERVAL_MS, { immediately: true });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
