import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderRefunds } from '../../order/application/order-refunds';
import { PaymentMetrics } from '../infrastructure/payment.metrics';
import { RefundRepository, RefundRow } from '../infrastructure/refund.repository';
import { OrderRefundEvent } from './events/order-refund.event';

/** Someone else (the request, or the outbox retry) completed the refund first. */
export class RefundAlreadySettled extends Error {
  constructor(readonly refundId: number) {
    super(`refund ${refundId} is no longer PROCESSING`);
  }
}

/**
 * How a refund ends, whoever ends it: completed (units refunded, the order's refundedAmount and
 * status, the money back, stock and coupon back, ORDER_REFUNDED), or CANCEL_FAILED (units
 * released, an operator alerted). Each is guarded by the refund still being PROCESSING.
 */
@Injectable()
export class RefundSettlement {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRefunds,
    private readonly events: SyncEventPublisher,
    private readonly refunds: RefundRepository,
    private readonly outbox: OutboxWriter,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RefundSettlement.name);
  }

  /**
   * In the caller's transaction. `cancellation`: the outbox event that would have retried the
   * gateway cancel, done now, so no retry repeats it.
   */
  async completeInTransaction(refund: RefundRow, method: 'BALANCE' | 'CARD', cancellation?: string): Promise<RefundRow> {
    if (!(await this.refunds.markCompleted(refund.id))) throw new RefundAlreadySettled(refund.id);
    const items = await this.refunds.itemsOf(refund.id);
    const { order, fullyRefunded } = await this.orders.complete(refund.orderId, { refundId: refund.id, amount: refund.amount, items });
    const lines = items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity }));
    await this.events.publish(
      OrderRefundEvent.NAME,
      new OrderRefundEvent(refund.id, order.id, order.userId, order.userCouponId, method, refund.amount, lines, refund.restock, fullyRefunded),
    );
    if (cancellation) await this.outbox.markDone(cancellation);
    this.metrics.refundedWon.inc({ method }, refund.amount);
    this.logger.info({ orderId: refund.orderId, refundId: refund.id, method, amount: refund.amount, orderStatus: order.status }, 'refund completed');
    return (await this.refunds.find(refund.id))!;
  }

  /** A card refund the gateway confirmed: completed in a transaction of its own. */
  complete(refund: RefundRow, cancellation: string): Promise<RefundRow> {
    return this.unitOfWork.run(() => this.completeInTransaction(refund, 'CARD', cancellation));
  }

  /** The refund as it stands, as the answer of a request that could not finish it (202). */
  current(refundId: number): Promise<RefundRow> {
    return this.unitOfWork.run(async () => (await this.refunds.find(refundId))!);
  }

  /** Every retry of the gateway cancel failed: CANCEL_FAILED, the units refundable again, an operator alerted, in one transaction. */
  async cancelFailed(refundId: number, lastError: string): Promise<void> {
    const refund = await this.unitOfWork.run(async () => {
      if (!(await this.refunds.markCancelFailed(refundId))) return null;
      const failed = (await this.refunds.find(refundId))!;
      await this.orders.release(failed.orderId, await this.refunds.itemsOf(refundId));
      const message =
        `Refund ${failed.id} of order ${failed.orderId} (${failed.amount} won) could not be cancelled at the payment gateway; ` +
        `its units are refundable again. Cancel it at the gateway by hand, or refund again. Last error: ${lastError}`;
      await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_CANCEL_FAILED', severity: 'critical', message, orderId: failed.orderId, refundId: failed.id }), failed.orderId);
      return failed;
    });
    if (!refund) return;
    this.metrics.cancellationsFailed.inc();
    this.logger.error(
      { orderId: refund.orderId, refundId: refund.id, amount: refund.amount, lastError, action: 'cancel the amount at the payment gateway by hand, or refund again' },
      'CANCEL_FAILED: a card refund could not be cancelled at the payment gateway; its units were released',
    );
  }
}
