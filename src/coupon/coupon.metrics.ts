import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';

@Injectable()
export class CouponMetrics {
  readonly issuance: Counter<'result'>;

  constructor({ registry }: Metrics) {
    this.issuance = new Counter({
      name: 'coupon_issuance_total',
      help: 'Coupon issue requests by result: ISSUED or the error code',
      labelNames: ['result'] as const,
      registers: [registry],
    });
  }
}
