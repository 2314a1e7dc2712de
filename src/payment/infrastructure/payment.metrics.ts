import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Sql } from '../../common/database/sql';
import { Metrics } from '../../common/metrics/metrics';

@Injectable()
export class PaymentMetrics {
  readonly payments: Counter<'method' | 'result'>;
  readonly duration: Histogram<'method' | 'result'>;
  readonly gatewayCalls: Histogram<'operation' | 'outcome'>;
  readonly cancellationsFailed: Counter;
  readonly refunds: Counter<'method' | 'result'>;
  readonly refundedWon: Counter<'method'>;

  constructor(
    { registry }: Metrics,
    private readonly sql: Sql,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PaymentMetrics.name);
    this.payments = new Counter({
      name: 'payments_total',
      help: 'Payment attempts by method and result: PAID, PROCESSING (card outcome not known yet) or the error code',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'payment_duration_seconds',
      help: 'Payment requests from lock to answer, by method and result',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    });
    this.gatewayCalls = new Histogram({
      name: 'payment_gateway_call_duration_seconds',
      help: 'Payment gateway calls by operation (confirm, lookup, cancel) and outcome (APPROVED, DECLINED, UNKNOWN, FOUND, NOT_FOUND, CANCELLED, FAILED)',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
    this.cancellationsFailed = new Counter({
      name: 'payment_gateway_cancellations_failed_total',
      help: 'Cancellations at the payment gateway that failed for good (CANCEL_FAILED, alert raised)',
      registers: [registry],
    });
    this.refunds = new Counter({
      name: 'refunds_total',
      help: 'Refund requests by method and result: COMPLETED, PROCESSING (the gateway has not confirmed yet) or the error code',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    });
    this.refundedWon = new Counter({
      name: 'refunded_won_total',
      help: 'Won given back by completed refunds, by method',
      labelNames: ['method'] as const,
      registers: [registry],
    });
    new Gauge({
      name: 'card_payments_processing',
      help: 'Card payments with the gateway right now (PROCESSING), whatever instance started them',
      registers: [registry],
      // Every worker reads the same rows, so merged worker registries must not add them up.
      aggregator: 'max',
      collect: async function (this: Gauge) {
        const processing = await readProcessing();
        if (processing === null) this.reset();
        else this.set(processing);
      },
    });
    const readProcessing = async (): Promise<number | null> => {
      try {
        const row = await this.sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE status = 'PROCESSING'`);
        return row?.n ?? 0;
      } catch (error) {
        this.logger.warn({ err: error }, 'card_payments_processing unavailable: this scrape leaves it out');
        return null;
      }
    };
  }
}
