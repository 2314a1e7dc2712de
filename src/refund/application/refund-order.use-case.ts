import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { NOT_THE_ANSWER, UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { toErrorBody } from '../../common/http/error-body';
import { IdempotencyKeyInUseError } from '../../common/http/idempotency/idempotency.errors';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OrderRefunds } from '../../order/application/order-refunds.facade';
import type { RequestedItem } from '../../order/application/order-refunds.facade';
import { PaymentRefunds } from '../../payment/application/payment-refunds.facade';
import type { Refund, RefundMethod, RefundReceiveAccount } from '../domain/refund';
import { RefundAccountRequiredError } from '../domain/refund.errors';
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
  /** Required for an order paid into a virtual account: where the money goes back. */
  refundReceiveAccount?: RefundReceiveAccount;
}

/** The key already started a refund of the order (a retry while, or after, the first attempt ran). */
class AlreadyRequested extends Error {
  constructor(readonly refund: Refund) {
    super(`refund ${refund.id} was already requested with this key`);
  }
}

/**
 * Refunds an order, whole or in part (DESIGN.md, "Refunds"). Balance orders: one transaction
 * (units, balance and REFUND log, stock, coupon, order, outbox), 201. Orders paid through the
 * gateway: the payment flow backwards, in three phases: the units are held by a PROCESSING
 * refund (with the outbox retry of the gateway cancel, due later), the gateway cancels the
 * amount outside any transaction, and the refund completes (201); if the gateway did not
 * confirm, 202, and the retry completes it later or ends it CANCEL_FAILED.
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
    // Known once the transaction has read the order's payment; a refusal before that counts as UNKNOWN.
    const decided: { method: RefundMethod | 'UNKNOWN' } = { method: 'UNKNOWN' };
    try {
      const started = await this.unitOfWork.run(() => this.start(orderId, command, decided), {
        answers: (s: Started) => (s.kind === 'COMPLETED' ? s.refund : NOT_THE_ANSWER),
      });
      const { method } = started;
      const refund = started.kind === 'COMPLETED' ? started.refund : await this.cancelAtGateway(started.refund, started.cancellation, command.reason);
      this.metrics.refunds.inc({ method, result: refund.status });
      return refund;
    } catch (error) {
      if (error instanceof AlreadyRequested) {
        // Still with the gateway: in flight, as a concurrent duplicate is. Settled: its state is the answer.
        if (error.refund.status === 'PROCESSING') throw new IdempotencyKeyInUseError();
        return this.settlement.current(error.refund.id);
      }
      const result = toErrorBody(error).code;
      this.metrics.refunds.inc({ method: decided.method, result });
      this.logger.info({ orderId, method: decided.method, result }, 'refund refused');
      throw error;
    }
  }

  /**
   * One transaction, under the order's lock: the order checked, how it was paid decided here (a
   * gateway payment that completed a moment ago is refunded at the gateway), its units priced and
   * held within what the payment still holds, the refund PROCESSING. From the balance, it
   * completes right here; through the gateway, the cancel's retry is written in the outbox.
   */
  private async start(orderId: number, command: RefundCommand, decided: { method: RefundMethod | 'UNKNOWN' }): Promise<Started> {
    const refundable = await this.orders.lockRefundable(orderId);
    const earlier = command.requestKey ? await this.refunds.findByRequestKey(orderId, command.requestKey) : null;
    if (earlier) throw new AlreadyRequested(earlier);
    const payment = await this.payments.paymentOf(orderId);
    if (!payment) throw new Error(`order ${orderId} is ${refundable.status} but has no completed payment`);
    const method: RefundMethod = payment.method;
    decided.method = method;
    if (method === 'VIRTUAL_ACCOUNT' && !command.refundReceiveAccount) throw new RefundAccountRequiredError();
    const wonLeft = refundable.finalAmount - refundable.refundedAmount - (await this.refunds.heldAmountOf(orderId));
    const items = await this.orders.hold(refundable, command.items, { wonLeft });
    const held = await this.refunds.insert({ orderId, paymentId: payment.paymentId, method, reason: command.reason, restock: command.restock ?? true, items, requestKey: command.requestKey ?? null });
    if (method === 'BALANCE') return { kind: 'COMPLETED', method, refund: (await this.settlement.completeInTransaction(held))! };
    const account = method === 'VIRTUAL_ACCOUNT' ? command.refundReceiveAccount! : null;
    const event = new RefundCancellationRequestedEvent(held.id, orderId, payment.paymentKey!, held.amount, command.reason, account);
    // The retry is due only once this request has had the time to do it itself.
    const eventId = await this.outbox.add(event, orderId, { delayMs: 2 * this.payments.gatewayTimeoutMs });
    return { kind: 'HELD', method, refund: held, cancellation: Object.assign(event, { eventId }) };
  }

  /** Phase 2 and 3 of a gateway refund: the cancel outside any transaction, then completed (201), or left to its retry (202). */
  private async cancelAtGateway(refund: Refund, cancellation: RefundCancellationRequestedEvent & { eventId: string }, reason: string): Promise<Refund> {
    const answer = await this.payments.cancelAtGateway({
      paymentKey: cancellation.paymentKey,
      reason,
      amount: refund.amount,
      idempotencyKey: cancellation.eventId,
      refundReceiveAccount: cancellation.refundReceiveAccount ?? undefined,
    });
    if (answer.kind === 'CANCELLED') return this.settlement.complete(refund, cancellation, answer.transactionKey);
    return this.settlement.current(refund.id);
  }
}

type Started =
  | { kind: 'COMPLETED'; method: RefundMethod; refund: Refund }
  | { kind: 'HELD'; method: RefundMethod; refund: Refund; cancellation: RefundCancellationRequestedEvent & { eventId: string } };
