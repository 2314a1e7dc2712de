import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `work` every `everyMs` once started (call start() from onApplicationBootstrap, when every
 * listener exists), never overlapping itself; stop() lets a run in progress finish, so call it
 * from beforeApplicationShutdown, before the pools close. A job this worker's role does not run
 * (Jobs.declare), or an interval of 0, never starts.
 */
export class PeriodicJob {
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly name: string,
    private readonly runsHere: boolean,
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** `immediately`: a first run now, then every `everyMs` (a reconciliation at start-up). */
  start(everyMs: number, { immediately = false } = {}): void {
    if (!this.runsHere || everyMs === 0) return;
    this.registry.addInterval(this.name, setInterval(() => this.tick(), everyMs));
    if (immediately) this.tick();
  }

  async stop(): Promise<void> {
    if (this.registry.doesExist('interval', this.name)) this.registry.deleteInterval(this.name);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.work()
      .catch(this.onError)
      .finally(() => (this.running = null));
  }
}
