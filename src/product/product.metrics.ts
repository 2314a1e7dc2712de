import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';

@Injectable()
export class ProductMetrics {
  readonly stockConfirmation: Histogram<'result'>;

  constructor({ registry }: Metrics) {
    this.stockConfirmation = new Histogram({
      name: 'stock_confirmation_duration_seconds',
      help: "Confirming a paid order's reserved stock inside the payment's transaction, row locks waited for included, by result: confirmed, insufficient (INSUFFICIENT_STOCK) or error",
      labelNames: ['result'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }
}
