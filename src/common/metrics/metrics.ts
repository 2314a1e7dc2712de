import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { shareWithPrimary } from './cluster-metrics';

/**
 * The instance's metric registry, a registry of its own rather than prom-client's global one:
 * several apps in one process (the e2e tests) must not share counters. A cluster worker hands it
 * to AggregatorRegistry.setRegistries for the primary to merge. Plumbing metrics (HTTP, outbox)
 * live here; each module registers its own business metrics on `registry`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly outboxDeliveries = new Counter({
    name: 'outbox_deliveries_total',
    help: 'Outbox delivery attempts by consumer and result: delivered, retry or dead',
    labelNames: ['consumer', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    shareWithPrimary(this.registry);
  }
}
