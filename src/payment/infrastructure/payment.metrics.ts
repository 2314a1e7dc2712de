import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { Metrics } from '../../common/metrics/metrics';

@Injectable()
export class PaymentMetrics {
  readonly payments: Counter<'result'>;
  readonly duration: Histogram<'result'>;

  constructor({ registry }: Metrics) {
    this.payments = new Counter({
      name: 'payments_total',
      help: 'Payment attempts by result: PAID or the error code',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'payment_duration_seconds',
      help: 'Payment attempts from lock to outcome, by result',
      labelNames: ['result'] as const,
      registers: [registry],
    });
  }
}
