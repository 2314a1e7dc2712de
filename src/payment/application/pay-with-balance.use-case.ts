import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OrderPayments } from '../../order/application/order-payments.facade';
import type { Payment } from '../domain/payment';
import { OrderPaymentFailEvent } from './events/order-payment-fail.event';
import { OrderPaymentEvent } from './events/order-payment.event';
import { OrderProcessingFailEvent } from './events/order-processing-fail.event';
import { OrderProcessingEvent } from './events/order-processing.event';
import { paymentFlowOrder } from './events/payment-flow.event';
import { PaymentMetrics } from '../payment.metrics';
import { PaymentOutcomes, PaymentRequest } from './payment-outcomes';
import { lockAsPayer } from './lock-as-payer';
import { PaymentLock } from './ports/payment-lock.port';
import { PaymentStore } from './ports/payment-store.port';

/**
 * Pays an order from the user's balance as one statement in the common case, else in one
 * transaction (DESIGN.md "The payment flow"):
 *
 *   lock payment:order:{id}:user:{userId} → BEGIN
 *     1. the order PENDING → PAID, if the user's (the guard that makes a second payment impossible)
 *     2. order.processing: stock sold, coupon used        undo: order.processing.fail
 *     3. order.payment: balance − finalAmount, USE log    undo: order.payment.fail
 *     4. the payment row, and order.processed in the outbox
 *   COMMIT, or ROLLBACK then the failed step's undo → release the lock.
 *
 * Postgres rolls back everything but the coupon's Redis claim, which is what the undo events
 * are for. The client gets the failing step's error code; nothing of a failed payment remains.
 *
 * The common case (no coupon, no Idempotency-Key) is the same steps as ONE statement (payAtOnce):
 * the same events, whose listeners add their parts instead of running them, so that no
 * connection waits in a transaction between round trips (bench/README, issue 21). When a part's
 * check fails nothing is written, and the transaction runs to say why.
 */
@Injectable()
export class PayWithBalanceUseCase {
  constructor(
    private readonly lock: PaymentLock,
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderPayments,
    private readonly events: SyncEventPublisher,
    private readonly payments: PaymentStore,
    private readonly outcomes: PaymentOutcomes,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(PayWithBalanceUseCase.name);
  }

  async execute(userId: number, orderId: number): Promise<Payment> {
    const started = performance.now();
    this.logContext.assign({ orderId });
    const request: PaymentRequest = { method: 'BALANCE', orderId, userId, amount: null };
    try {
      const lock = await lockAsPayer(this.lock, this.orders, userId, orderId);
      try {
        const atOnce = await this.payAtOnce(userId, orderId, request);
        const payment = atOnce ?? (await this.pay(userId, orderId, request));
        this.metrics.ordersPaid.inc({ method: payment.method });
        this.metrics.balanceStatements.inc({ way: atOnce ? 'one_statement' : 'transaction' });
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

  /**
   * Steps 1–4 as one statement, no transaction block, which reads the order itself (nothing is
   * read before it): null, with nothing written, for a request whose Idempotency-Key record must
   * commit with the payment, and when a part's check failed: an order that cannot be paid now,
   * one with a coupon (its Redis claim cannot roll back with the statement), too little stock or balance.
   */
  private async payAtOnce(userId: number, orderId: number, request: PaymentRequest): Promise<Payment | null> {
    const payment = await this.unitOfWork.runAsOneStatement<Payment>(async (statement) => {
      const paidAt = new Date();
      const order = { ...this.orders.claimPart(statement, userId, orderId, paidAt), statement };
      await this.events.publish(new OrderProcessingEvent(order, false));
      await this.events.publish(new OrderPaymentEvent(order));
      const payment = this.payments.insertCompletedPart(statement, orderId, userId, order.amountSql);
      this.orders.recordPaidPart(statement, order, payment, paidAt);
      return true;
    });
    if (payment) request.amount = payment.amount;
    return payment;
  }

  /** The transaction; once it has rolled back, the undo of the step that failed. */
  private async pay(userId: number, orderId: number, request: PaymentRequest): Promise<Payment> {
    // The undo of the step the transaction has reached, should it roll back.
    const reached: { undo: ((reason: string) => OrderProcessingFailEvent | OrderPaymentFailEvent) | null } = { undo: null };
    try {
      return await this.unitOfWork.run(async () => {
        const order = await this.orders.claim(userId, orderId, 'PAID');
        request.amount = order.finalAmount;
        const flow = paymentFlowOrder(order);
        reached.undo = (reason) => new OrderProcessingFailEvent(flow, reason);
        await this.events.publish(new OrderProcessingEvent(flow, false));
        reached.undo = (reason) => new OrderPaymentFailEvent(flow, reason);
        await this.events.publish(new OrderPaymentEvent(flow));
        const payment = await this.payments.insertCompleted(order.id, userId, order.finalAmount);
        await this.orders.recordPaid(order, { paymentId: payment.id, method: payment.method });
        return payment;
      });
    } catch (error) {
      if (reached.undo) await this.undo(reached.undo(error instanceof DomainError ? error.code : 'INTERNAL_ERROR'));
      throw error;
    }
  }

  /** Runs after the rollback. An undo that fails is logged for an operator and never hides the cause. */
  private async undo(fail: OrderProcessingFailEvent | OrderPaymentFailEvent): Promise<void> {
    try {
      await this.events.publish(fail);
    } catch (error) {
      this.logger.error(
        { orderId: fail.orderId, userId: fail.userId, userCouponId: fail.userCouponId, event: (fail.constructor as typeof OrderProcessingFailEvent).NAME, reason: fail.reason, err: error },
        'payment compensation failed: the coupon claim may stay in Redis until it expires (60 s); nothing in Postgres was changed',
      );
    }
  }
}
