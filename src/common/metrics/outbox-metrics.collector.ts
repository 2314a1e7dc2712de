import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Gauge } from 'prom-client';
import { Sql } from '../database/sql';
import { Metrics } from './metrics';

interface ConsumerBacklog {
  consumer: string;
  pending: number;
  dead: number;
  oldestDueAgeSeconds: number;
}

/**
 * Consumers are every name the table has ever held, found with one index probe each (the
 * (consumer, ...) index) rather than a scan of all delivered rows, so a consumer whose backlog
 * is empty reports 0 instead of vanishing. Counts read only the partial PENDING and DEAD indexes.
 */
const BACKLOG = `
  WITH RECURSIVE consumers(name) AS (
    SELECT min(consumer) FROM outbox_events
    UNION ALL
    SELECT (SELECT min(o.consumer) FROM outbox_events o WHERE o.consumer > c.name) FROM consumers c WHERE c.name IS NOT NULL
  ),
  pending AS (
    SELECT consumer, count(*) AS n, min(created_at) FILTER (WHERE next_attempt_at <= now()) AS oldest_due
    FROM outbox_events WHERE status = 'PENDING' GROUP BY consumer
  ),
  dead AS (SELECT consumer, count(*) AS n FROM outbox_events WHERE status = 'DEAD' GROUP BY consumer)
  SELECT c.name AS consumer, coalesce(p.n, 0) AS pending, coalesce(d.n, 0) AS dead,
    coalesce(extract(epoch FROM now() - p.oldest_due), 0)::float8 AS "oldestDueAgeSeconds"
  FROM consumers c LEFT JOIN pending p ON p.consumer = c.name LEFT JOIN dead d ON d.consumer = c.name
  WHERE c.name IS NOT NULL`;

/**
 * The outbox backlog, read from Postgres when Prometheus scrapes rather than tracked in memory:
 * the table is shared by every instance and is the only truth about what is still undelivered.
 */
@Injectable()
export class OutboxMetricsCollector {
  private readonly events: Gauge<'consumer' | 'status'>;
  private readonly oldestDueAge: Gauge<'consumer'>;
  private reading: Promise<void> | null = null;

  constructor(
    metrics: Metrics,
    private readonly sql: Sql,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(OutboxMetricsCollector.name);
    // Every worker reads the same rows, so merged worker registries must not add them up.
    const common = { registers: [metrics.registry], aggregator: 'max' as const, collect: () => this.read() };
    this.events = new Gauge({
      name: 'outbox_events',
      help: 'Undelivered outbox events by consumer and status: pending or dead',
      labelNames: ['consumer', 'status'] as const,
      ...common,
    });
    this.oldestDueAge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest pending outbox event that is due for delivery: the consumer lag',
      labelNames: ['consumer'] as const,
      ...common,
    });
  }

  /** Both gauges are collected on the same scrape; they share one query. */
  private read(): Promise<void> {
    this.reading ??= this.query().finally(() => (this.reading = null));
    return this.reading;
  }

  private async query(): Promise<void> {
    let rows: ConsumerBacklog[];
    try {
      rows = await this.sql.rows<ConsumerBacklog>(BACKLOG);
    } catch (error) {
      // Stale figures would show a healthy lag while nothing can be read; absent ones alert.
      this.events.reset();
      this.oldestDueAge.reset();
      this.logger.warn({ err: error }, 'outbox metrics unavailable: this scrape leaves them out');
      return;
    }
    this.events.reset();
    this.oldestDueAge.reset();
    for (const row of rows) {
      this.events.set({ consumer: row.consumer, status: 'pending' }, row.pending);
      this.events.set({ consumer: row.consumer, status: 'dead' }, row.dead);
      this.oldestDueAge.set({ consumer: row.consumer }, row.oldestDueAgeSeconds);
    }
  }
}
