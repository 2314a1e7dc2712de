import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CommonSettings } from '../config/common.settings';
import { PeriodicJob } from './periodic-job';

/**
 * Which workers run a job: `background` jobs (relaying, sweeping, reconciling) run in one
 * worker of a cluster (WORKER_ROLE all or jobs), so that a second one polling the same rows
 * does not take CPU from Postgres; `every-worker` jobs run in each.
 */
export type JobRole = 'background' | 'every-worker';

/** Where modules declare their periodic jobs, each with the role that runs it; this worker runs those its WORKER_ROLE takes. */
@Injectable()
export class Jobs {
  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly settings: CommonSettings,
  ) {}

  declare(name: string, role: JobRole, work: () => Promise<unknown>, onError: (error: unknown) => void): PeriodicJob {
    const runsHere = role === 'every-worker' || this.settings.WORKER_ROLE !== 'requests';
    return new PeriodicJob(this.registry, name, runsHere, work, onError);
  }
}
