import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderPayments } from '../../order/application/order-payments';
import { PaymentLock } from '../infrastructure/payment-lock';
import { PaymentRepository, PaymentRow } from '../infrastructure/payment.repository';
import { OrderPaymentEvent, OrderPaymentFailEvent, OrderProcessingEvent, OrderProcessingFailEvent } from './events/payment-events';
import { orderLines } from './order-lines';
import { PaymentOutcomes, PaymentRequest } from './payment-outcomes';

type Step = 'processing' | 'payment';

/**
 * Pays an order from the user's balance, in the shape of DESIGN.md. The use case owns the
 * whole unit of work, with or without an Idempotency-Key:
 *   ownership check → lock payment:order:{id} → BEGIN { PENDING→PAID guard, order.processing
 *   (stock, coupon), order.payment (balance), payment row, order.processed } COMMIT or
 *   ROLLBACK → compensation → release.
 * After a rollback the matching *.fail event lets each module undo what Postgres cannot (the
 * coupon's Redis claim), and the client gets the failing step's error code. Nothing of a
 * failed payment remains.
 */
@Injectable()
export class ProcessPaymentUseCase {
  constructor(
    private readonly lock: PaymentLock,
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderPayments,
    private readonly events: SyncEventPublisher,
    private readonly payments: PaymentRepository,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
    private readonly outcomes: PaymentOutcomes,
  ) {
    this.logger.setContext(ProcessPaymentUseCase.name);
  }

  async execute(userId: number, orderId: number): Promise<PaymentRow> {
    const started = performance.now();
    this.logContext.assign({ orderId });
    const request: PaymentRequest = { method: 'BALANCE', orderId, userId, amount: null };
    try {
      await this.orders.assertOwner(userId, orderId);
      const lock = await this.lock.acquire(orderId);
      try {
        const payment = await this.payOnce(userId, orderId, request);
        this.outcomes.paid(request, started, payment);
        return payment;
      } finally {
        await this.lock.release(lock, orderId);
      }
    } catch (error) {
      this.outcomes.failed(request, started, error);
      throw error;
    }
  }

  /** The transaction, then the compensation of whichever step failed once it has rolled back. */
  private async payOnce(userId: number, orderId: number, request: PaymentRequest): Promise<PaymentRow> {
    let step: Step | null = null;
    let event: OrderProcessingEvent | null = null;
    try {
      return await this.unitOfWork.run(async () => {
        const order = await this.orders.claim(userId, orderId, 'PAID');
        request.amount = order.finalAmount;
        event = new OrderProcessingEvent(order.id, userId, order.userCouponId, orderLines(order), order.finalAmount);
        step = 'processing';
        await this.events.publish(OrderProcessingEvent.NAME, event);
        step = 'payment';
        await this.events.publish(OrderPaymentEvent.NAME, new OrderPaymentEvent(order.id, userId, order.userCouponId, event.items, order.finalAmount));
        const row = await this.payments.insertCompleted(order.id, userId, order.finalAmount);
        await this.orders.recordPaid(order, { paymentId: row.id, method: row.method });
        return row;
      });
    } catch (error) {
      if (step && event) await this.compensate(step, event, error);
      throw error;
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
}
