import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DomainError } from '../../common/errors/domain-error';
import { toErrorBody } from '../../common/http/error-body';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { Metrics } from '../../common/metrics/metrics';
import { OrderPayments } from '../../order/application/order-payments';
import { PaymentLock } from '../infrastructure/payment-lock';
import { PaymentRepository, PaymentRow } from '../infrastructure/payment.repository';
import { OrderPaymentEvent, OrderPaymentFailEvent, OrderProcessingEvent, OrderProcessingFailEvent } from './events/payment-events';

type Step = 'processing' | 'payment';

/**
 * Pays an order from the user's balance, in the shape of DESIGN.md:
 *   lock payment:order:{id} → one transaction { PENDING→PAID guard, order.processing (stock,
 *   coupon), order.payment (balance), payment row, order.processed outbox rows } → release.
 * Any failure rolls the whole transaction back; then the matching *.fail event lets each
 * module undo what Postgres cannot (the coupon's Redis claim), and the client gets the
 * failing step's error code. Nothing of a failed payment remains.
 */
@Injectable()
export class ProcessPaymentUseCase {
  constructor(
    private readonly lock: PaymentLock,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly orders: OrderPayments,
    private readonly events: SyncEventPublisher,
    private readonly payments: PaymentRepository,
    private readonly outbox: OutboxWriter,
    private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
  ) {
    this.logger.setContext(ProcessPaymentUseCase.name);
  }

  async execute(userId: number, orderId: number): Promise<PaymentRow> {
    const started = performance.now();
    this.logger.assign({ orderId });
    const lock = await this.lock.acquire(orderId).catch((error: unknown) => {
      this.logOutcome(orderId, userId, null, started, error);
      throw error;
    });
    let step: Step | null = null;
    let event: OrderProcessingEvent | null = null;
    try {
      const payment = await this.txHost.withTransaction(async () => {
        const { order, paidEvent } = await this.orders.claim(userId, orderId);
        const items = order.items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity }));
        event = new OrderProcessingEvent(order.id, userId, order.userCouponId, items, order.finalAmount);
        step = 'processing';
        await this.events.publish(OrderProcessingEvent.NAME, event);
        step = 'payment';
        await this.events.publish(OrderPaymentEvent.NAME, new OrderPaymentEvent(order.id, userId, order.userCouponId, items, order.finalAmount));
        const row = await this.payments.insert(order.id, userId, order.finalAmount);
        await this.outbox.add('order.processed', order.id, paidEvent);
        return row;
      });
      this.logOutcome(orderId, userId, payment.amount, started, null);
      return payment;
    } catch (error) {
      if (step && event) await this.compensate(step, event, error);
      this.logOutcome(orderId, userId, (event as OrderProcessingEvent | null)?.amount ?? null, started, error);
      throw error;
    } finally {
      await this.lock.release(lock, orderId);
    }
  }

  /** Runs after the rollback. A compensation that fails is logged for an operator, never hides the cause. */
  private async compensate(step: Step, source: OrderProcessingEvent, cause: unknown): Promise<void> {
    const reason = cause instanceof DomainError ? cause.code : 'INTERNAL_ERROR';
    const fail = step === 'processing' ? new OrderProcessingFailEvent(source, reason) : new OrderPaymentFailEvent(source, reason);
    try {
      await this.events.publish((fail.constructor as typeof OrderProcessingFailEvent).NAME, fail);
    } catch (error) {
      this.logger.error(
        { orderId: source.orderId, userId: source.userId, userCouponId: source.userCouponId, step, reason, err: error },
        'payment compensation failed: the coupon claim may stay in Redis until it expires (60 s); nothing in Postgres was changed',
      );
    }
  }

  /** One line and one metric sample per payment attempt: what an operator greps for and graphs. */
  private logOutcome(orderId: number, userId: number, amount: number | null, started: number, error: unknown): void {
    const elapsedMs = performance.now() - started;
    const durationMs = Math.round(elapsedMs);
    // The code the client was given, so metrics, logs and responses agree (an outage is SERVICE_UNAVAILABLE).
    const result = error ? toErrorBody(error).code : 'PAID';
    this.metrics.payments.inc({ result });
    this.metrics.paymentDuration.observe({ result }, elapsedMs / 1_000);
    if (!error) {
      this.logger.info({ orderId, userId, amount, result, durationMs }, 'payment completed');
      return;
    }
    const line = { orderId, userId, amount, result, durationMs };
    if (result === 'SERVICE_UNAVAILABLE') this.logger.warn({ ...line, err: error }, 'payment failed: a backing service is unavailable; nothing was charged');
    else if (result === 'INTERNAL_ERROR') this.logger.error({ ...line, err: error }, 'payment failed; nothing was charged');
    else this.logger.info(line, 'payment refused; nothing was charged');
  }
}
