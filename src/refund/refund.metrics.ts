import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';

@Injectable()
export class RefundMetrics {
  readonly refunds: Counter<'method' | 'result'>;
  readonly refundedWon: Counter<'method'>;

  constructor(metrics: Metrics) {
    this.refunds = new Counter({
      name: 'refunds_total',
      help: 'Refund requests by method and result: COMPLETED, PROCESSING (the gateway has not confirmed yet) or the error code',
      labelNames: ['method', 'result'] as const,
      registers: [metrics.registry],
    });
    this.refundedWon = new Counter({
      name: 'refunded_won_total',
      help: 'Won given back by completed refunds, by method',
      labelNames: ['method'] as const,
      registers: [metrics.registry],
    });
  }
}
