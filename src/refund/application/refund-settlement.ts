import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderRefunds, RefundedOrder } from '../../order/application/order-refunds.facade';
import type { GatewayCancelOfPayment } from '../../payment/application/payment-refunds.facade';
import { PaymentRefunds } from '../../payment/application/payment-refunds.facade';
import type { Refund, RefundMethod } from '../domain/refund';
import { RefundMetrics } from '../refund.metrics';
import { RefundCancellationRequestedEvent } from './events/refund-cancellation-requested.event';
import { RefundCompletingEvent } from './events/refund-completing.event';
import { RefundStore } from './ports/refund-store.port';

/** What the gateway's list of a payment's cancels came to for the shop's books. */
export interface CancelsAccounted {
  /** The shop's own refunds the list showed done (their answers were lost). */
  completed: Refund[];
  /** Cancels none of the shop's refunds explains, recorded as GATEWAY refunds. */
  recorded: Refund[];
}

export const GATEWAY_REFUND_REASON = 'cancelled at the payment gateway';

/**
 * How a refund ends, whoever ends it (the request, the outbox retry, the dead-lettering, the
 * gateway's word): completed (units refunded, the order's refundedAmount and status, the money
 * back, stock and coupon back, ORDER_REFUNDED), or CANCEL_FAILED (units released, an operator
 * alerted). Each is guarded by the refund still being PROCESSING: whoever comes second finds it
 * settled. The cancels the gateway lists for a payment are held against the shop's refunds here
 * too, so that a cancel is counted once: as the refund that asked for it, or as a GATEWAY refund.
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
   * outbox event that would have retried the gateway cancel, done now, so no retry repeats it;
   * `transactionKey`: the gateway's key of that cancel.
   */
  async completeInTransaction(refund: Refund, { cancellation, transactionKey = null }: { cancellation?: string; transactionKey?: string | null } = {}): Promise<Refund | null> {
    const method = await this.refunds.markCompleted(refund.id, transactionKey);
    if (!method) return null;
    const items = await this.refunds.itemsOf(refund.id);
    const order = await this.orders.complete(refund.orderId, { refundId: refund.id, amount: refund.amount, items });
    await this.giveBack(refund, method, order, items);
    if (cancellation) await this.outbox.markDone(cancellation);
    this.logger.info({ orderId: refund.orderId, refundId: refund.id, method, amount: refund.amount, orderStatus: order.status }, 'refund completed');
    return (await this.refunds.find(refund.id))!;
  }

  /**
   * A gateway refund the gateway confirmed: completed in a transaction of its own, under the
   * order's lock (as `account` takes it); the refund as it stands either way. Should the cancel the
   * gateway names be recorded by another refund already, the gateway's list of cancels was held
   * against the refunds before this answer came, and gave this cancel to another refund of the
   * same amount whose own cancel had not landed: that one is done, and this one's cancel is still
   * to be made. It is asked again under a new Idempotency-Key (the old one replays the cancel
   * given away), and the refund stays PROCESSING.
   */
  complete(refund: Refund, cancellation: RefundCancellationRequestedEvent & { eventId: string }, transactionKey: string | null): Promise<Refund> {
    return this.unitOfWork.run(async () => {
      await this.orders.lock(refund.orderId);
      const holder = transactionKey === null ? null : await this.refunds.holderOf(transactionKey);
      if (holder !== null && holder !== refund.id) return this.askAgain(refund, cancellation, transactionKey!, holder);
      return (await this.completeInTransaction(refund, { cancellation: cancellation.eventId, transactionKey })) ?? (await this.refunds.find(refund.id))!;
    });
  }

  /** The refund as it stands, as the answer of a request that could not finish it (202). */
  current(refundId: number): Promise<Refund> {
    return this.unitOfWork.run(async () => (await this.refunds.find(refundId))!);
  }

  /**
   * The gateway's cancels of the payment that paid an order, held against the shop's books in
   * one transaction under the order's lock. A cancel whose transactionKey the shop recorded is
   * done with. One it did not record completes the oldest PROCESSING refund of the same amount
   * (its cancel landed, its answer was lost); else it is a cancel the shop did not make: a
   * GATEWAY refund of its amount, once per transactionKey, with an alert.
   */
  account(payment: { paymentId: number; orderId: number }, cancels: GatewayCancelOfPayment[]): Promise<CancelsAccounted> {
    return this.unitOfWork.run(async () => {
      await this.orders.lock(payment.orderId);
      const known = new Set(await this.refunds.transactionKeysOf(payment.paymentId));
      const waiting = await this.refunds.processingOf(payment.paymentId);
      const accounted: CancelsAccounted = { completed: [], recorded: [] };
      for (const cancel of cancels) {
        if (known.has(cancel.transactionKey)) continue;
        const mine = waiting.findIndex((r) => r.amount === cancel.amount);
        if (mine >= 0) {
          const [refund] = waiting.splice(mine, 1);
          const completed = await this.completeInTransaction(refund, { transactionKey: cancel.transactionKey });
          if (completed) accounted.completed.push(completed);
        } else {
          const recorded = await this.recordGatewayRefund(payment, cancel);
          if (recorded) accounted.recorded.push(recorded);
        }
      }
      return accounted;
    });
  }

  /** In the dead-lettering transaction: every retry of the gateway cancel failed: CANCEL_FAILED, the units refundable again, an operator alerted. */
  async cancelFailed(refundId: number, lastError: string): Promise<void> {
    if (!(await this.refunds.markCancelFailed(refundId))) return;
    const failed = (await this.refunds.find(refundId))!;
    await this.orders.release(failed.orderId, await this.refunds.itemsOf(refundId));
    const message =
      `Refund ${failed.id} of order ${failed.orderId} (${failed.amount} won) could not be cancelled at the payment gateway, which says it did not happen; ` +
      `its units are refundable again. Cancel it at the gateway by hand, or refund again. Last error: ${lastError}`;
    await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_CANCEL_FAILED', severity: 'critical', message, orderId: failed.orderId, refundId: failed.id }), failed.orderId);
    this.payments.cancellationFailedForGood();
    this.logger.error(
      { orderId: failed.orderId, refundId: failed.id, amount: failed.amount, lastError, action: 'cancel the amount at the payment gateway by hand, or refund again' },
      'CANCEL_FAILED: a card refund could not be cancelled at the payment gateway; its units were released',
    );
  }

  private async askAgain(refund: Refund, cancellation: RefundCancellationRequestedEvent & { eventId: string }, transactionKey: string, holder: number): Promise<Refund> {
    const current = (await this.refunds.find(refund.id))!;
    if (current.status !== 'PROCESSING') return current;
    await this.outbox.markDone(cancellation.eventId);
    const { orderId, paymentKey, amount, reason, refundReceiveAccount } = cancellation;
    await this.outbox.add(new RefundCancellationRequestedEvent(refund.id, orderId, paymentKey, amount, reason, refundReceiveAccount), orderId);
    this.logger.warn(
      { orderId, refundId: refund.id, transactionKey, recordedBy: holder },
      "a refund's cancel was recorded by another refund of the same amount (its answer came late): this refund's cancel is asked again under a new key",
    );
    return current;
  }

  private async recordGatewayRefund(payment: { paymentId: number; orderId: number }, cancel: GatewayCancelOfPayment): Promise<Refund | null> {
    const method = (await this.payments.paymentOf(payment.orderId))?.method ?? 'CARD';
    const refund = await this.refunds.insertGatewayRefund({
      orderId: payment.orderId,
      paymentId: payment.paymentId,
      method,
      amount: cancel.amount,
      reason: GATEWAY_REFUND_REASON,
      transactionKey: cancel.transactionKey,
    });
    if (!refund) return null;
    const order = await this.orders.completeGatewayRefund(payment.orderId, { refundId: refund.id, amount: refund.amount });
    await this.giveBack(refund, method, order, []);
    const message =
      `Order ${payment.orderId}: ${cancel.amount} won of its payment ${payment.paymentId} were cancelled at the payment gateway (transaction ${cancel.transactionKey}), ` +
      'not by the shop. Recorded as a GATEWAY refund; check who cancelled it there.';
    await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_EXTERNAL_CANCEL', severity: 'warning', message, orderId: payment.orderId, paymentId: payment.paymentId, refundId: refund.id }), payment.orderId);
    this.logger.warn({ orderId: payment.orderId, paymentId: payment.paymentId, refundId: refund.id, amount: cancel.amount, transactionKey: cancel.transactionKey }, 'a cancel the shop did not make: recorded as a GATEWAY refund');
    return refund;
  }

  /** refund.completing: each module gives back its part (balance, stock, coupon). */
  private async giveBack(refund: Refund, method: RefundMethod, order: RefundedOrder, items: { productId: number; productOptionId: number; quantity: number }[]): Promise<void> {
    const lines = items.map(({ productId, productOptionId, quantity }) => ({ productId, productOptionId, quantity }));
    await this.events.publish(new RefundCompletingEvent(refund.id, order.id, order.userId, order.userCouponId, method, refund.amount, lines, refund.restock, order.fullyRefunded));
    this.metrics.refundedWon.inc({ method }, refund.amount);
  }
}
