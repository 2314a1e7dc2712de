import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics';
import { backoffMs } from './backoff';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxDeadLetteredEvent } from './outbox-dead-lettered.event';
import { ClaimedEvent, OutboxRepository } from './outbox.repository';

const JOB = 'outbox-relay';

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

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly consumers: OutboxConsumers,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
    private readonly emitter: EventEmitter2,
  ) {
    this.logger.setContext(OutboxRelay.name);
  }

  /** Started only when the app is ready: every consumer must be registered before delivery. */
  onApplicationBootstrap(): void {
    if (this.config.OUTBOX_POLL_INTERVAL_MS === 0) return;
    this.registry.addInterval(JOB, setInterval(() => void this.drain(), this.config.OUTBOX_POLL_INTERVAL_MS));
  }

  /** Lets the batch in hand finish (it is short: deliveries time out) before the pools close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', JOB)) this.registry.deleteInterval(JOB);
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
      await this.outbox.markDelivered(delivered.map((e) => e.id));
      for (const e of delivered) this.metrics.outboxDeliveries.inc({ consumer: e.consumer, result: 'delivered' });
      if (batch.length < batchSize) return;
    }
  }

  /** The event when its consumer succeeded (to be marked DELIVERED with its batch), else null. */
  private async deliver(event: ClaimedEvent): Promise<ClaimedEvent | null> {
    const context = { outboxId: event.id, eventId: event.eventId, eventType: event.eventType, consumer: event.consumer, attempt: event.attempts };
    try {
      await this.consumers.handler(event.eventType, event.consumer)(event.payload);
      return event;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (event.attempts >= this.config.OUTBOX_MAX_ATTEMPTS && !this.consumers.neverDeadLetters(event.consumer)) {
        await this.outbox.markDead(event.id, message);
        this.metrics.outboxDeliveries.inc({ consumer: event.consumer, result: 'dead' });
        this.logger.error(
          { ...context, err: message },
          'outbox delivery failed for the last time: dead-lettered; fix the cause, then POST /admin/outbox/:id/retry',
        );
        this.announceDeadLetter(new OutboxDeadLetteredEvent(event, message));
      } else {
        const delayMs = backoffMs(event.attempts, this.config.OUTBOX_BACKOFF_BASE_MS, this.config.OUTBOX_BACKOFF_MAX_MS);
        await this.outbox.reschedule(event.id, delayMs, message);
        this.metrics.outboxDeliveries.inc({ consumer: event.consumer, result: 'retry' });
        this.logger.warn({ ...context, err: message, retryInMs: delayMs }, 'outbox delivery failed; will retry');
      }
      return null;
    }
  }

  /** Not awaited: a slow or failing listener must neither hold up nor fail the relay. */
  private announceDeadLetter(event: OutboxDeadLetteredEvent): void {
    Promise.resolve()
      .then(() => this.emitter.emitAsync(OutboxDeadLetteredEvent.NAME, event))
      .catch((error: unknown) => this.logger.error({ err: error, outboxId: event.outboxId }, 'a listener of outbox.dead-lettered failed'));
  }
}
