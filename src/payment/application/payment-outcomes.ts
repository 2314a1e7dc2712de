import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { toErrorBody } from '../../common/http/error-body';
import type { Payment, PaymentMethod } from '../domain/payment';
import { PaymentMetrics } from '../payment.metrics';

export interface PaymentRequest {
  method: PaymentMethod;
  orderId: number;
  userId: number;
  /** The order's finalAmount once known. */
  amount: number | null;
}

/** One log line and one metric sample per payment request: what an operator greps for and graphs. */
@Injectable()
export class PaymentOutcomes {
  constructor(
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PaymentOutcomes.name);
  }

  /** `started` is performance.now() at the request's start. */
  paid(request: PaymentRequest, started: number, payment: Payment): void {
    const result = payment.status === 'PROCESSING' || payment.status === 'AWAITING_DEPOSIT' ? payment.status : 'PAID';
    const line = { ...this.sample(request, started, result), paymentId: payment.id };
    if (result === 'PROCESSING') this.logger.warn(line, 'payment outcome unknown: the gateway did not answer; the reconciler finishes it');
    else if (result === 'AWAITING_DEPOSIT') this.logger.info(line, 'virtual account issued: the order waits for its deposit');
    else this.logger.info(line, 'payment completed');
  }

  failed(request: PaymentRequest, started: number, error: unknown): void {
    // The code the client was given, so metrics, logs and responses agree (an outage is SERVICE_UNAVAILABLE).
    const result = toErrorBody(error).code;
    const line = this.sample(request, started, result);
    if (result === 'SERVICE_UNAVAILABLE' || result === 'PAYMENT_GATEWAY_UNAVAILABLE') {
      this.logger.warn({ ...line, err: error }, 'payment failed: a backing service is unavailable; nothing was charged');
    } else if (result === 'INTERNAL_ERROR') this.logger.error({ ...line, err: error }, 'payment failed; nothing was charged');
    else this.logger.info(line, 'payment refused; nothing was charged');
  }

  private sample({ method, orderId, userId, amount }: PaymentRequest, started: number, result: string) {
    const elapsedMs = performance.now() - started;
    this.metrics.payments.inc({ method, result });
    this.metrics.duration.observe({ method, result }, elapsedMs / 1_000);
    return { orderId, userId, method, amount, result, durationMs: Math.round(elapsedMs) };
  }
}
