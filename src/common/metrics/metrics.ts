import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { shareWithPrimary } from './cluster-metrics';

/**
 * Every metric this instance exposes, on a registry of its own rather than prom-client's global
 * one: several apps in one process (the e2e tests) must not share counters. A cluster worker
 * hands this registry to AggregatorRegistry.setRegistries for the primary to merge.
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

  readonly payments = new Counter({
    name: 'payments_total',
    help: 'Payment attempts by result: PAID or the error code',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly paymentDuration = new Histogram({
    name: 'payment_duration_seconds',
    help: 'Payment attempts from lock to outcome, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly couponIssuance = new Counter({
    name: 'coupon_issuance_total',
    help: 'Coupon issue requests by result: ISSUED or the error code',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly orderExpiries = new Counter({
    name: 'order_expiries_total',
    help: 'Unpaid orders expired, their reservations released',
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
