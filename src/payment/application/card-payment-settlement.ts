import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderPayments } from '../../order/application/order-payments';
import { PaymentMetrics } from '../infrastructure/payment.metrics';
import { CardAttempt, PaymentRepository, PaymentRow } from '../infrastructure/payment.repository';
import { PaymentCancellationRequestedEvent } from './events/payment-cancellation-requested.event';
import { PaymentFailedEvent } from './events/payment-failed.event';
import { OrderPayingReleasedEvent, OrderProcessingEvent } from './events/payment-events';
import { orderLines } from './order-lines';

/** Someone else (the request or the reconciler) settled the attempt first; nothing was changed. */
export class AttemptAlreadySettled extends Error {
  constructor(readonly paymentId: number) {
    super(`card payment ${paymentId} is no longer PROCESSING`);
  }
}

/**
 * The attempt's charge is being cancelled at the gateway as an earlier attempt's late approval
 * (a retry with the same paymentKey): it cannot pay the order, and the attempt ended FAILED.
 */
export class ChargeBeingCancelled extends Error {
  constructor(readonly paymentId: number) {
    super(`the charge of card payment ${paymentId} is being cancelled at the gateway`);
  }
}

/** A listener of order.processing refused an approved payment: the charge must be cancelled. */
class CompletionRefused extends Error {
  constructor(override readonly cause: DomainError) {
    super(cause.message);
  }
}

/**
 * The third phase of a card payment, shared by the request that called the gateway and the
 * reconciler: each outcome is one transaction, guarded by the attempt still being PROCESSING,
 * so that whoever settles first wins and the other changes nothing.
 */
@Injectable()
export class CardPaymentSettlement {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderPayments,
    private readonly events: SyncEventPublisher,
    private readonly payments: PaymentRepository,
    private readonly outbox: OutboxWriter,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CardPaymentSettlement.name);
  }

  /**
   * The gateway charged this attempt: stock sold and coupon used through the same
   * order.processing listeners as the balance path, order PAID, payment COMPLETED. Should that
   * be refused (a business rule), the charge must not stand: it is cancelled at the gateway.
   */
  async complete(attempt: CardAttempt, approvalNumber: string | null): Promise<PaymentRow> {
    try {
      return await this.unitOfWork.run(async () => {
        await this.payments.lockSettlementsOf(attempt.orderId);
        const payment = await this.payments.completeCard(attempt.id, approvalNumber);
        if (!payment) {
          if (await this.payments.chargeCancelRequested(attempt.id)) throw new ChargeBeingCancelled(attempt.id);
          throw new AttemptAlreadySettled(attempt.id);
        }
        const order = await this.orders.completePaying(attempt.orderId, { paymentId: payment.id, method: payment.method });
        if (!order) throw new Error(`order ${attempt.orderId} of PROCESSING card payment ${attempt.id} is not PAYING`);
        const event = new OrderProcessingEvent(order.id, order.userId, order.userCouponId, orderLines(order), order.finalAmount, true);
        await this.events.publish(OrderProcessingEvent.NAME, event).catch((error: unknown) => {
          throw error instanceof DomainError ? new CompletionRefused(error) : error;
        });
        return payment;
      });
    } catch (error) {
      if (error instanceof ChargeBeingCancelled) {
        // The gateway's own word for that charge once the cancellation lands.
        await this.fail(attempt, 'CANCELED', false);
        this.logger.warn({ orderId: attempt.orderId, paymentId: attempt.id }, 'card payment approved with a paymentKey whose charge is being cancelled as a late approval: not completed');
        throw error;
      }
      if (!(error instanceof CompletionRefused)) throw error;
      await this.failAndCancel(attempt, error.cause.code);
      throw error.cause;
    }
  }

  /**
   * No charge stands: FAILED with why, the order back to PENDING and what order.paying held
   * released. `unknown`: the outcome was not known for a while, so the attempt stays watched
   * for a late approval (PG_WATCH_SECONDS).
   */
  async fail(attempt: CardAttempt, failureCode: string, unknown: boolean): Promise<PaymentRow> {
    return this.unitOfWork.run(() => this.failInTransaction(attempt, failureCode, unknown), { answers: false });
  }

  /** The gateway did not say: the attempt stays PROCESSING (answered 202) and is watched from now on. */
  async markUnknown(attempt: CardAttempt): Promise<PaymentRow> {
    return this.unitOfWork.run(async () => {
      const payment = await this.payments.markOutcomeUnknown(attempt.id);
      if (!payment) throw new AttemptAlreadySettled(attempt.id);
      return payment;
    });
  }

  /** The attempt as it stands now, as the answer of a request that found it settled by someone else. */
  async current(paymentId: number): Promise<PaymentRow> {
    return this.unitOfWork.run(async () => (await this.payments.find(paymentId))!);
  }

  /**
   * A charge the shop gave up on was approved after all (a late approval): it is cancelled at the
   * gateway; false when it was already asked, or when a later attempt carries the same charge.
   */
  async cancelLateApproval(attempt: CardAttempt): Promise<boolean> {
    const requested = await this.unitOfWork.run(async () => {
      await this.payments.lockSettlementsOf(attempt.orderId);
      if (!(await this.payments.requestCancellation(attempt.id))) return false;
      await this.outbox.add(new PaymentCancellationRequestedEvent(attempt.id, attempt.orderId, attempt.paymentKey, 'late approval of an abandoned payment'), attempt.orderId);
      return true;
    });
    if (!requested) return false;
    this.logger.warn(
      { orderId: attempt.orderId, paymentId: attempt.id, userId: attempt.userId, amount: attempt.amount },
      'late approval: the gateway charged a payment the shop had given up on; cancelling it there',
    );
    return true;
  }

  /** The gateway confirmed the cancellation: the payment ends CANCELLED. */
  async cancelled(paymentId: number): Promise<void> {
    await this.unitOfWork.run(async () => {
      const payment = await this.payments.markCancelled(paymentId);
      if (payment) await this.outbox.add(new PaymentFailedEvent(payment), payment.orderId);
    });
  }

  /** Every retry of a cancellation failed: CANCEL_FAILED, and an operator is alerted in the same transaction. */
  async cancelFailed(paymentId: number, lastError: string): Promise<void> {
    const payment = await this.unitOfWork.run(async () => {
      const failed = await this.payments.markCancelFailed(paymentId);
      if (!failed) return null;
      const message = `Card payment ${failed.id} of order ${failed.orderId} (${failed.amount} won) could not be cancelled at the payment gateway; cancel it there by hand. Last error: ${lastError}`;
      await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_CANCEL_FAILED', severity: 'critical', message, orderId: failed.orderId, paymentId: failed.id }), failed.orderId);
      return failed;
    });
    if (!payment) return;
    this.metrics.cancellationsFailed.inc();
    this.logger.error(
      { orderId: payment.orderId, paymentId: payment.id, userId: payment.userId, amount: payment.amount, lastError, action: 'cancel the charge at the payment gateway by hand' },
      'CANCEL_FAILED: a charge that must not stand is still standing at the payment gateway',
    );
  }

  /** Approved, but the order could not be completed: no charge may stand, so it fails and is cancelled at the gateway. */
  private async failAndCancel(attempt: CardAttempt, failureCode: string): Promise<void> {
    await this.unitOfWork.run(
      async () => {
        await this.failInTransaction(attempt, failureCode, false);
        await this.payments.requestCancellation(attempt.id);
        await this.outbox.add(new PaymentCancellationRequestedEvent(attempt.id, attempt.orderId, attempt.paymentKey, `order could not be completed: ${failureCode}`), attempt.orderId);
      },
      { answers: false },
    );
    this.logger.error(
      { orderId: attempt.orderId, paymentId: attempt.id, failureCode },
      'card payment approved but the order could not be completed: the charge is being cancelled at the gateway',
    );
  }

  private async failInTransaction(attempt: CardAttempt, failureCode: string, unknown: boolean): Promise<PaymentRow> {
    const payment = await this.payments.failCard(attempt.id, failureCode, unknown);
    if (!payment) throw new AttemptAlreadySettled(attempt.id);
    const order = await this.orders.release(attempt.orderId);
    if (order) {
      await this.events.publish(
        OrderPayingReleasedEvent.NAME,
        new OrderPayingReleasedEvent(order.id, order.userId, order.userCouponId, orderLines(order), order.finalAmount),
      );
    }
    await this.outbox.add(new PaymentFailedEvent(payment), payment.orderId);
    return payment;
  }
}
