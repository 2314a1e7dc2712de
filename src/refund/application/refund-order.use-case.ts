import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { toErrorBody } from '../../common/http/error-body';
import { IdempotencyKeyInUseError } from '../../common/http/idempotency/idempotency.errors';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OrderRefunds } from '../../order/application/order-refunds.facade';
import type { RequestedItem } from '../../order/application/order-refunds.facade';
import { PaymentRefunds } from '../../payment/application/payment-refunds.facade';
import type { Refund, RefundMethod } from '../domain/refund';
import { RefundMetrics } from '../refund.metrics';
import { RefundCancellationRequestedEvent } from './events/refund-cancellation-requested.event';
import { RefundStore } from './ports/refund-store.port';
import { RefundSettlement } from './refund-settlement';

export interface RefundCommand {
  reason: string;
  /** Absent: everything not refunded yet. */
  items?: RequestedItem[];
  /** Default true: the units go back on hand. */
  restock?: boolean;
  /** The request's Idempotency-Key, scoped to the requester: a retry finds the refund it started. */
  requestKey?: string;
}

/** The key already started a refund of the order (a retry while, or after, the first attempt ran). */
class AlreadyRequested extends Error {
  constructor(readonly refund: Refund) {
    super(`refund ${refund.id} was already requested with this key`);
  }
}

/**
 * Refunds an order, whole or in part (DESIGN.md, "Refunds"). Balance orders: one transaction
 * (units, balance and REFUND log, stock, coupon, order, outbox), 201. Card orders: the payment
 * flow backwards, in three phases: the units are held by a PROCESSING refund (with the outbox
 * retry of the gateway cancel, due later), the gateway cancels the amount outside any
 * transaction, and the refund completes (201); if the gateway did not confirm, 202, and the
 * retry completes it later or ends it CANCEL_FAILED.
 */
@Injectable()
export class RefundOrderUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRefunds,
    private readonly payments: PaymentRefunds,
    private readonly refunds: RefundStore,
    private readonly settlement: RefundSettlement,
    private readonly outbox: OutboxWriter,
    private readonly metrics: RefundMetrics,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(RefundOrderUseCase.name);
  }

  async execute(orderId: number, command: RefundCommand): Promise<Refund> {
    this.logContext.assign({ orderId });
    // The method decides whether the first transaction is the answer; a paid order's payment never changes.
    const payment = await this.payments.paymentOf(orderId);
    const method = payment?.method ?? 'BALANCE';
    try {
      const refund = await (method === 'CARD' ? this.refundCard(orderId, command) : this.refundBalance(orderId, command)).catch((error: unknown) => {
        if (!(error instanceof AlreadyRequested)) throw error;
        // Still with the gateway: in flight, as a concurrent duplicate is. Settled: its state is the answer.
        if (error.refund.status === 'PROCESSING') throw new IdempotencyKeyInUseError();
        return this.settlement.current(error.refund.id);
      });
      this.metrics.refunds.inc({ method, result: refund.status });
      return refund;
    } catch (error) {
      const result = toErrorBody(error).code;
      this.metrics.refunds.inc({ method, result });
      this.logger.info({ orderId, method, result }, 'refund refused');
      throw error;
    }
  }

  private refundBalance(orderId: number, command: RefundCommand): Promise<Refund> {
    return this.unitOfWork.run(async () => {
      const refund = await this.start(orderId, command, 'BALANCE');
      return (await this.settlement.completeInTransaction(refund, 'BALANCE'))!;
    });
  }

  private async refundCard(orderId: number, command: RefundCommand): Promise<Refund> {
    let cancellation!: RefundCancellationRequestedEvent & { eventId: string };
    const refund = await this.unitOfWork.run(
      async () => {
        const held = await this.start(orderId, command, 'CARD');
        const payment = (await this.payments.paymentOf(orderId))!;
        const event = new RefundCancellationRequestedEvent(held.id, orderId, payment.paymentKey!, held.amount, command.reason);
        // The retry is due only once this request has had the time to do it itself.
        const eventId = await this.outbox.add(event, orderId, { delayMs: 2 * this.payments.gatewayTimeoutMs });
        cancellation = Object.assign(event, { eventId });
        return held;
      },
      { answers: false },
    );
    const answer = await this.payments.cancelAtGateway({ paymentKey: cancellation.paymentKey, reason: command.reason, amount: refund.amount, idempotencyKey: cancellation.eventId });
    if (answer.kind === 'CANCELLED') return this.settlement.complete(refund, cancellation.eventId);
    return this.settlement.current(refund.id);
  }

  /** The order locked and checked, its units priced and held, the refund PROCESSING. */
  private async start(orderId: number, command: RefundCommand, method: RefundMethod): Promise<Refund> {
    const refundable = await this.orders.lockRefundable(orderId);
    const earlier = command.requestKey ? await this.refunds.findByRequestKey(orderId, command.requestKey) : null;
    if (earlier) throw new AlreadyRequested(earlier);
    const payment = await this.payments.paymentOf(orderId);
    if (!payment) throw new Error(`order ${orderId} is ${refundable.status} but has no completed payment`);
    const items = await this.orders.hold(refundable, command.items);
    return this.refunds.insert({ orderId, paymentId: payment.paymentId, method, reason: command.reason, restock: command.restock ?? true, items, requestKey: command.requestKey ?? null });
  }
}
