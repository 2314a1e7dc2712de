import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';

@Injectable()
export class OrderMetrics {
  readonly expiries: Counter;
  readonly placed: Counter;

  constructor({ registry }: Metrics) {
    this.placed = new Counter({
      name: 'orders_placed_total',
      help: 'Orders placed, their stock reserved (counted once committed)',
      registers: [registry],
    });
    this.expiries = new Counter({
      name: 'order_expiries_total',
      help: 'Unpaid orders expired, their reservations released',
      registers: [registry],
    });
  }
}
