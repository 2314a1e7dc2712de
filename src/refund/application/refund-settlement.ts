import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderRefunds } from '../../order/application/order-refunds.facade';
import type { Refund, RefundMethod } from '../domain/refund';
import { PaymentRefunds } from '../../payment/application/payment-refunds.facade';
import { RefundMetrics } from '../refund.metrics';
import { RefundCompletingEvent } from './events/refund-completing.event';
import { RefundStore } from './ports/refund-store.port';

/**
 * How a refund ends, whoever ends it (the request, the outbox retry, the dead-lettering):
 * completed (units refunded, the order's refundedAmount and status, the money back, stock and
 * coupon back, ORDER_REFUNDED), or CANCEL_FAILED (units released, an operator alerted). Each is
 * guarded by the refund still being PROCESSING: whoever comes second finds it settled.
 */
@Injectable()
export class RefundSettlement {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRefunds,
    private readonly events: SyncEventPublisher,
    private readonly refunds: RefundStore,
    private readonly outbox: OutboxWriter,
    private readonly metrics: RefundMetrics,
    private readonly payments: PaymentRefunds,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RefundSettlement.name);
  }

  /**
   * In the caller's transaction; null when someone else settled it first. `cancellation`: the
   * outbox event that would have retried the gateway cancel, done now, so no retry repeats it.
   */
  async completeInTransaction(refund: Refund, method: RefundMethod, cancellation?: string): Promise<Refund | null> {
    if (!(await this.refunds.markCompleted(refund.id))) return null;
    const items = await this.refunds.itemsOf(refund.id);
    const order = await this.orders.complete(refund.orderId, { refundId: refund.id, amount: refund.amount, items });
    const lines = items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity }));
    await this.events.publish(
      new RefundCompletingEvent(refund.id, order.id, order.userId, order.userCouponId, method, refund.amount, lines, refund.restock, order.fullyRefunded),
    );
    if (cancellation) await this.outbox.markDone(cancellation);
    this.metrics.refundedWon.inc({ method }, refund.amount);
    this.logger.info({ orderId: refund.orderId, refundId: refund.id, method, amount: refund.amount, orderStatus: order.status }, 'refund completed');
    return (await this.refunds.find(refund.id))!;
  }

  /** A gateway refund the gateway confirmed: completed in a transaction of its own; the refund as it stands either way. */
  complete(refund: Refund, cancellation: string): Promise<Refund> {
    return this.unitOfWork.run(async () => (await this.completeInTransaction(refund, 'CARD', cancellation)) ?? (await this.refunds.find(refund.id))!);
  }

  /** The refund as it stands, as the answer of a request that could not finish it (202). */
  current(refundId: number): Promise<Refund> {
    return this.unitOfWork.run(async () => (await this.refunds.find(refundId))!);
  }

  /** In the dead-lettering transaction: every retry of the gateway cancel failed: CANCEL_FAILED, the units refundable again, an operator alerted. */
  async cancelFailed(refundId: number, lastError: string): Promise<void> {
    if (!(await this.refunds.markCancelFailed(refundId))) return;
    const failed = (await this.refunds.find(refundId))!;
    await this.orders.release(failed.orderId, await this.refunds.itemsOf(refundId));
    const message =
      `Refund ${failed.id} of order ${failed.orderId} (${failed.amount} won) could not be cancelled at the payment gateway; ` +
      `its units are refundable again. Cancel it at the gateway by hand, or refund again. Last error: ${lastError}`;
    await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_CANCEL_FAILED', severity: 'critical', message, orderId: failed.orderId, refundId: failed.id }), failed.orderId);
    this.payments.cancellationFailedForGood();
    this.logger.error(
      { orderId: failed.orderId, refundId: failed.id, amount: failed.amount, lastError, action: 'cancel the amount at the payment gateway by hand, or refund again' },
      'CANCEL_FAILED: a card refund could not be cancelled at the payment gateway; its units were released',
    );
  }
}
