import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { OrderPayments } from '../../order/application/order-payments.facade';
import type { GatewayAttempt } from '../domain/payment';
import { PaymentMetrics } from '../payment.metrics';
import { PaymentCancellationRequestedEvent } from './events/payment-cancellation-requested.event';
import { PaymentFailedEvent } from './events/payment-failed.event';
import { PaymentStore } from './ports/payment-store.port';

/**
 * Cancelling a charge that must not stand (the undo of a gateway payment's charge), from the
 * request to the gateway's confirmation or the operator's alert. The cancellation itself is an
 * outbox event (cancel-charge), so it is retried with backoff until it lands or ends CANCEL_FAILED.
 */
@Injectable()
export class GatewayChargeCancellation {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentStore,
    private readonly orders: OrderPayments,
    private readonly outbox: OutboxWriter,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(GatewayChargeCancellation.name);
  }

  /**
   * In the caller's transaction, which holds the order's settlement lock: the FAILED attempt's
   * charge is to be cancelled at the gateway. False when that was asked already, or when a later
   * attempt carries the same charge (a retry with the same paymentKey, which may be what pays the order).
   */
  async request(attempt: GatewayAttempt, reason: string): Promise<boolean> {
    if (!(await this.payments.requestCancellation(attempt.id))) return false;
    await this.outbox.add(new PaymentCancellationRequestedEvent(attempt.id, attempt.orderId, attempt.paymentKey, reason), attempt.orderId);
    return true;
  }

  /**
   * A charge standing at the gateway that no attempt of the shop carries (the reconciliation
   * found it): cancelled by its key alone, through the same outbox consumer.
   */
  async requestForUnknownCharge(paymentKey: string, reason: string): Promise<void> {
    await this.outbox.add(new PaymentCancellationRequestedEvent(null, 0, paymentKey, reason), 0);
  }

  /**
   * The gateway cancelled the charge (its cancel's transaction key when known): the payment ends
   * CANCELLED, PAYMENT_FAILED written under the order's lock like the order's other events.
   */
  async cancelled(paymentId: number | null, orderId: number, transactionKey: string | null): Promise<void> {
    if (paymentId === null) {
      this.logger.warn({ transactionKey }, 'a charge no attempt of the shop carried was cancelled at the gateway');
      return;
    }
    await this.unitOfWork.run(async () => {
      await this.orders.lock(orderId);
      const payment = await this.payments.markCancelled(paymentId, transactionKey);
      if (payment) await this.outbox.add(new PaymentFailedEvent(payment), payment.orderId);
    });
  }

  /** In the dead-lettering transaction: every retry failed, so CANCEL_FAILED, and an operator is alerted in the same transaction. */
  async cancelFailed(paymentId: number | null, paymentKey: string, lastError: string): Promise<void> {
    if (paymentId === null) {
      const message = `A charge no payment of the shop holds (paymentKey ${paymentKey}) could not be cancelled at the payment gateway; cancel it there by hand. Last error: ${lastError}`;
      await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_CANCEL_FAILED', severity: 'critical', message }), 0);
      this.metrics.cancellationsFailed.inc();
      return;
    }
    const failed = await this.payments.markCancelFailed(paymentId);
    if (!failed) return;
    const message = `Card payment ${failed.id} of order ${failed.orderId} (${failed.amount} won) could not be cancelled at the payment gateway; cancel it there by hand. Last error: ${lastError}`;
    await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_CANCEL_FAILED', severity: 'critical', message, orderId: failed.orderId, paymentId: failed.id }), failed.orderId);
    this.metrics.cancellationsFailed.inc();
    this.logger.error(
      { orderId: failed.orderId, paymentId: failed.id, userId: failed.userId, amount: failed.amount, lastError, action: 'cancel the charge at the payment gateway by hand' },
      'CANCEL_FAILED: a charge that must not stand is still standing at the payment gateway',
    );
  }
}
