import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Counter, Gauge } from 'prom-client';
import { OutboxBacklog } from '../common/events/outbox/outbox-backlog';
import { Metrics } from '../common/metrics/metrics';
import { EVENT_LOG_CONSUMER } from './application/event-log.consumer';
import { EventLogSettings } from './event-log.settings';

export type PublicationResult = 'published' | 'duplicate' | 'failed' | 'refused';

@Injectable()
export class EventLogMetrics {
  private readonly publications: Counter<'result'>;

  constructor(
    { registry }: Metrics,
    backlog: OutboxBacklog,
    { EVENT_LOG_STREAM: stream }: EventLogSettings,
    logger: PinoLogger,
  ) {
    logger.setContext(EventLogMetrics.name);
    this.publications = new Counter({
      name: 'event_log_publications_total',
      help: 'Event log publications by result: published, duplicate (the stream already had the event id), failed (retried) or refused (for good: parked, EVENT_LOG_PARKED)',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    new Gauge({
      name: 'event_log_lag_seconds',
      help: 'Age of the oldest event the event log stream has not acknowledged yet, waiting or backing off (0 when none)',
      labelNames: ['stream'] as const,
      registers: [registry],
      // Read from the outbox at each scrape: every instance sees the same rows, so a merged cluster takes the max.
      aggregator: 'max',
      async collect() {
        try {
          this.set({ stream }, await backlog.oldestUndeliveredAgeSeconds(EVENT_LOG_CONSUMER));
        } catch (error) {
          // A stale lag would look healthy while nothing can be read; an absent one alerts.
          this.reset();
          logger.warn({ err: error }, 'event log lag unavailable: this scrape leaves it out');
        }
      },
    });
  }

  published(result: PublicationResult): void {
    this.publications.inc({ result });
  }
}
