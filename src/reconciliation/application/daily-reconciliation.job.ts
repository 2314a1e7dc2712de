import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Jobs } from '../../common/scheduling/jobs';
import type { PeriodicJob } from '../../common/scheduling/periodic-job';
import { PaymentBooks } from '../../payment/application/payment-books.facade';
import { previousSeoulDay, seoulHour } from '../domain/reconciliation';
import { ReconciliationSettings } from '../reconciliation.settings';
import { ReconciliationStore } from './ports/reconciliation-store.port';
import { RunReconciliationUseCase } from './run-reconciliation.use-case';

const EVERY_MS = 60_000;

/**
 * Once a day, from RECONCILIATION_HOUR in Asia/Seoul, the previous Seoul day is reconciled. It
 * looks every minute, so a day missed (the gateway down, the service stopped at that hour) is
 * done on the next look; the day is stored once whichever instance gets there first. It runs
 * where the gateway payments are reconciled (PG_RECONCILE_INTERVAL_MS not 0).
 */
@Injectable()
export class DailyReconciliationJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    private readonly reconcile: RunReconciliationUseCase,
    private readonly store: ReconciliationStore,
    private readonly settings: ReconciliationSettings,
    private readonly payments: PaymentBooks,
    jobs: Jobs,
    logger: PinoLogger,
  ) {
    logger.setContext(DailyReconciliationJob.name);
    this.job = jobs.declare('daily-reconciliation', 'background', () => this.runDue(), (error) =>
      logger.warn({ err: error }, 'daily reconciliation could not run; trying again in a minute'),
    );
  }

  onApplicationBootstrap(): void {
    if (this.payments.reconcilesHere) this.job.start(EVERY_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** The previous Seoul day, reconciled if it is time and nobody did yet. */
  async runDue(now = new Date()): Promise<void> {
    if (seoulHour(now) < this.settings.RECONCILIATION_HOUR) return;
    const { from, to, day } = previousSeoulDay(now);
    if (await this.store.isScheduledDone(day)) return;
    await this.reconcile.execute({ from, to, trigger: 'DAILY', scheduledFor: day });
  }
}
