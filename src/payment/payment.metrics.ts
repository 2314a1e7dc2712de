import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '../common/metrics/metrics';
import { PaymentStore } from './application/ports/payment-store.port';
import { CHECKOUT_METHODS } from './domain/payment';

@Injectable()
export class PaymentMetrics {
  readonly payments: Counter<'method' | 'result'>;
  readonly ordersPaid: Counter<'method'>;
  readonly balanceStatements: Counter<'way'>;
  readonly gatewayCompletions: Counter<'way'>;
  readonly duration: Histogram<'method' | 'result'>;
  readonly gatewayCalls: Histogram<'operation' | 'outcome'>;
  readonly cancellationsFailed: Counter;
  readonly webhooks: Counter<'kind' | 'result'>;
  readonly deposits: Counter;
  readonly accountsExpired: Counter;

  constructor(
    metrics: Metrics,
    store: PaymentStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PaymentMetrics.name);
    const { registry } = metrics;
    const read = async (count: () => Promise<number>, metric: string): Promise<number | null> => {
      try {
        return await count();
      } catch (error) {
        this.logger.warn({ err: error }, `${metric} unavailable: this scrape leaves it out`);
        return null;
      }
    };
    this.payments = new Counter({
      name: 'payments_total',
      help: 'Payment requests by the method asked for and result: PAID, PROCESSING (the outcome not known yet), AWAITING_DEPOSIT (a virtual account issued) or the error code',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    });
    this.ordersPaid = new Counter({
      name: 'orders_paid_total',
      help: 'Orders paid, counted once each after the commit that paid them, by the method of the payment, whichever path settled it (the request, a webhook, the reconciler, a deposit)',
      labelNames: ['method'] as const,
      registers: [registry],
    });
    // At 0 from the start: increase() cannot see the first order of a series that appears with it.
    for (const method of ['BALANCE', ...CHECKOUT_METHODS]) this.ordersPaid.inc({ method }, 0);
    this.balanceStatements = new Counter({
      name: 'balance_payments_paid_total',
      help: 'Balance payments that paid, by the way they were written: one_statement (the common case), or transaction (with a coupon or an Idempotency-Key, or after a check of the one statement failed)',
      labelNames: ['way'] as const,
      registers: [registry],
    });
    for (const way of ['one_statement', 'transaction']) this.balanceStatements.inc({ way }, 0);
    this.gatewayCompletions = new Counter({
      name: 'gateway_payments_completed_total',
      help: 'Gateway payments completed (the charge stands and paid the order), by the way phase 3 was written: one_statement (the common case), or transaction (with an Idempotency-Key, or after a check of the one statement failed)',
      labelNames: ['way'] as const,
      registers: [registry],
    });
    for (const way of ['one_statement', 'transaction']) this.gatewayCompletions.inc({ way }, 0);
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
      help: 'Cancellations at the payment gateway (of charges and of refunds) that failed for good (CANCEL_FAILED, alert raised)',
      registers: [registry],
    });
    this.webhooks = new Counter({
      name: 'gateway_webhooks_total',
      help: 'Webhooks of the payment gateway by kind and result: STORED, DUPLICATE (the same body again), INVALID (400), REJECTED_SECRET (401), and once acted on PROCESSED or UNKNOWN_PAYMENT',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    });
    this.deposits = new Counter({ name: 'virtual_account_deposits_total', help: 'Virtual accounts paid into: their orders PAID', registers: [registry] });
    this.accountsExpired = new Counter({
      name: 'virtual_accounts_expired_total',
      help: 'Virtual accounts closed at the gateway unpaid by their due date: their orders EXPIRED',
      registers: [registry],
    });
    new Gauge({
      name: 'virtual_accounts_awaiting_deposit',
      help: 'Virtual accounts issued and not paid into yet (AWAITING_DEPOSIT), whatever instance issued them',
      registers: [registry],
      aggregator: 'max',
      collect: async function (this: Gauge) {
        const awaiting = await read(() => store.countAwaitingDeposit(), 'virtual_accounts_awaiting_deposit');
        if (awaiting === null) this.reset();
        else this.set(awaiting);
      },
    });
    new Gauge({
      name: 'card_payments_processing',
      help: 'Card payments with the gateway right now (PROCESSING), whatever instance started them',
      registers: [registry],
      // Every worker reads the same rows, so merged worker registries must not add them up.
      aggregator: 'max',
      collect: async function (this: Gauge) {
        const processing = await read(() => store.countProcessing(), 'card_payments_processing');
        if (processing === null) this.reset();
        else this.set(processing);
      },
    });
  }
}
