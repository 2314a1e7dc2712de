import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Metrics } from '../../metrics/metrics';
import { Jobs } from '../../scheduling/jobs';
import type { PeriodicJob } from '../../scheduling/periodic-job';
import { backoffMs } from './backoff';
import { DeliveryOutcomeUnknownError, UndeliverableEventError } from './delivery-errors';
import { OutboxConsumers } from './outbox-consumers';
import { UnitOfWork } from '../../database/unit-of-work';
import { SyncEventPublisher } from '../sync-event-publisher';
import { OutboxDeadLetteringEvent } from './outbox-dead-lettering.event';
import { ClaimedEvent, OutboxRepository } from './outbox.repository';
import { CommonSettings } from '../../config/common.settings';

/**
 * Delivers committed outbox rows to their consumers, at least once. Several instances relay
 * side by side (rows are claimed with SKIP LOCKED and leased); a failure is retried with
 * exponential backoff and, after OUTBOX_MAX_ATTEMPTS, parked as DEAD for an operator, unless
 * its consumer is never dead-lettered.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly job: PeriodicJob;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly consumers: OutboxConsumers,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: SyncEventPublisher,
    jobs: Jobs,
    private readonly config: CommonSettings,
    private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
  ) {
    this.logger.setContext(OutboxRelay.name);
    // drain() logs its own failures.
    this.job = jobs.declare('outbox-relay', 'background', () => this.drain(), () => undefined);
  }

  /** Started only when the app is ready: every consumer must be registered before delivery. */
  onApplicationBootstrap(): void {
    this.job.start(this.config.OUTBOX_POLL_INTERVAL_MS);
  }

  /** Lets the batch in hand finish (it is short: deliveries time out) before the pools close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.job.stop();
    await this.running;
  }

  /** Delivers everything due now; concurrent calls share one run. */
  drain(): Promise<void> {
    this.running ??= this.deliverDue()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'outbox relay pass failed; retrying on the next tick'))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async deliverDue(): Promise<void> {
    const { OUTBOX_BATCH_SIZE: batchSize, OUTBOX_LEASE_MS: leaseMs } = this.config;
    while (!this.stopped) {
      const batch = await this.outbox.claimDue(batchSize, leaseMs, this.consumers.handled(), this.consumers.orderedByAggregate());
      const delivered = (await Promise.all(batch.map((event) => this.deliver(event)))).filter((e) => e !== null);
      // One statement (one commit) for the whole batch: per-row updates cost a WAL flush each.
      await this.outbox.markDelivered(delivered);
      for (const e of delivered) this.metrics.outboxDeliveries.inc({ consumer: e.consumer, result: 'delivered' });
      if (batch.length < batchSize) return;
    }
  }

  /** The event when its consumer succeeded (to be marked DELIVERED with its batch), else null. */
  private async deliver(event: ClaimedEvent): Promise<ClaimedEvent | null> {
    try {
      await this.consumers.handler(event.eventType, event.consumer)(event.payload);
      return event;
    } catch (error) {
      // Recording the failure may fail too (the dead-letter transaction runs its owners'
      // listeners): the row's lease then runs out and it is tried again, and the rest of the
      // batch is still marked delivered.
      await this.recordFailure(event, error).catch((bookkeeping: unknown) =>
        this.logger.warn({ ...logFieldsOf(event), err: bookkeeping }, 'outbox: recording a failed delivery failed; the row is retried when its lease runs out'),
      );
      return null;
    }
  }

  private async recordFailure(event: ClaimedEvent, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const refused = error instanceof UndeliverableEventError;
    const exhausted =
      event.attempts >= this.config.OUTBOX_MAX_ATTEMPTS && !this.consumers.neverDeadLetters(event.consumer) && !(error instanceof DeliveryOutcomeUnknownError);
    if (refused || exhausted) {
      if (!(await this.deadLetter(event, message, refused ? error.alert : null))) return;
      this.metrics.outboxDeliveries.inc({ consumer: event.consumer, result: 'dead' });
      this.logger.error(
        { ...logFieldsOf(event), err: message },
        refused
          ? 'outbox delivery refused for good by its target: dead-lettered at once; fix the cause, then POST /admin/outbox/:id/retry'
          : 'outbox delivery failed for the last time: dead-lettered; fix the cause, then POST /admin/outbox/:id/retry',
      );
    } else {
      const delayMs = backoffMs(event.attempts, this.config.OUTBOX_BACKOFF_BASE_MS, this.config.OUTBOX_BACKOFF_MAX_MS);
      await this.outbox.reschedule(event, delayMs, message);
      this.metrics.outboxDeliveries.inc({ consumer: event.consumer, result: 'retry' });
      this.logger.warn({ ...logFieldsOf(event), err: message, retryInMs: delayMs }, 'outbox delivery failed; will retry');
    }
  }

  /** DEAD, and whatever its owners record about it (a business state, an alert), in one transaction; false when another relay's claim overtook this one. */
  private deadLetter(event: ClaimedEvent, error: string, refusedWithAlert: string | null): Promise<boolean> {
    return this.unitOfWork.run(async () => {
      if (!(await this.outbox.markDead(event, error))) return false;
      const dead = new OutboxDeadLetteringEvent(event.id, event.eventId, event.eventType, event.consumer, event.aggregateId, event.payload, error, refusedWithAlert);
      await this.events.publish(dead);
      return true;
    });
  }
}

function logFieldsOf(event: ClaimedEvent) {
  return { outboxId: event.id, eventId: event.eventId, eventType: event.eventType, consumer: event.consumer, attempt: event.attempts };
}
