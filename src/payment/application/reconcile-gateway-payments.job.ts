import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PeriodicJob } from '../../common/scheduling/periodic-job';
import { Jobs } from '../../common/scheduling/jobs';
import { ReconcileGatewayPaymentsUseCase } from './reconcile-gateway-payments.use-case';
import { PaymentSettings } from '../payment.settings';

/**
 * Reconciles gateway payments with the gateway at start-up (what a crash left half done) and then
 * every PG_RECONCILE_INTERVAL_MS (0: not in this instance; another may run it).
 */
@Injectable()
export class ReconcileGatewayPaymentsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    reconcile: ReconcileGatewayPaymentsUseCase,
    jobs: Jobs,
    private readonly config: PaymentSettings,
    logger: PinoLogger,
  ) {
    logger.setContext(ReconcileGatewayPaymentsJob.name);
    this.job = jobs.declare('gateway-payment-reconciler', 'background', () => reconcile.execute(), (error) =>
      logger.warn({ err: error }, 'gateway payment reconciliation failed; retrying on the next tick'),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.PG_BASE_URL) this.job.start(this.config.PG_RECONCILE_INTERVAL_MS, { immediately: true });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
