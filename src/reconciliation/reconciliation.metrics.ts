import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';

@Injectable()
export class ReconciliationMetrics {
  readonly runs: Counter<'trigger' | 'result'>;
  readonly mismatches: Counter<'kind'>;

  constructor({ registry }: Metrics) {
    this.runs = new Counter({
      name: 'reconciliation_runs_total',
      help: 'Reconciliations against the gateway transaction list, by trigger (ADMIN, DAILY) and result (DONE, GATEWAY_UNAVAILABLE)',
      labelNames: ['trigger', 'result'] as const,
      registers: [registry],
    });
    this.mismatches = new Counter({
      name: 'reconciliation_mismatches_total',
      help: 'Mismatches the reconciliations found, by kind (CHARGE_WITHOUT_PAYMENT, CANCEL_WITHOUT_REFUND, PAYMENT_WITHOUT_CHARGE, AMOUNT_MISMATCH)',
      labelNames: ['kind'] as const,
      registers: [registry],
    });
  }
}
