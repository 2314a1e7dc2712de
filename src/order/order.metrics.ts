import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';

@Injectable()
export class OrderMetrics {
  readonly expiries: Counter;

  constructor({ registry }: Metrics) {
    this.expiries = new Counter({
      name: 'order_expiries_total',
      help: 'Unpaid orders expired, their reservations released',
      registers: [registry],
    });
  }
}
