import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { NOT_THE_ANSWER, UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OrderPayments } from '../../order/application/order-payments.facade';
import type { PayableOrder } from '../../order/application/order-payments.facade';
import type { GatewayPayment, GatewayVirtualAccount, LookupAnswer } from '../domain/gateway-answers';
import { AskedCharge, Mismatch, Verdict, verdictOfConfirm, verdictOfLookup } from '../domain/gateway-verdict';
import { methodOfAnswer } from '../domain/payment';
import type { GatewayAttempt, GatewayMethod, Payment } from '../domain/payment';
import { CardDeclinedError, PaymentGatewayError, PaymentGatewayUnavailableError, PaymentMethodUnavailableError } from '../domain/payment.errors';
import { PaymentMetrics } from '../payment.metrics';
import { PaymentSettings } from '../payment.settings';
import { Checkouts } from './checkouts';
import { OrderProcessingEvent } from './events/order-processing.event';
import { PaymentFailedEvent } from './events/payment-failed.event';
import { paymentFlowOrder } from './events/payment-flow.event';
import { PaymentHoldingEvent } from './events/payment-holding.event';
import { PaymentReleasingHoldEvent } from './events/payment-releasing-hold.event';
import { GatewayChargeCancellation } from './gateway-charge-cancellation';
import { PaymentOutcomes, PaymentRequest } from './payment-outcomes';
import { PaymentGateway } from './ports/payment-gateway.port';
import { lockAsPayer } from './lock-as-payer';
import { PaymentLock } from './ports/payment-lock.port';
import { GatewayCharge, PaymentStore } from './ports/payment-store.port';

export interface GatewayPaymentCommand {
  userId: number;
  orderId: number;
  /** What the client asked for; the gateway's answer decides the method recorded. */
  method: GatewayMethod;
  paymentKey: string;
  /** The checkout the customer paid in; absent: the order's latest checkout, else `order-N`. */
  gatewayOrderId?: string;
}

/** How settling an attempt by the gateway's word ended. */
export type Settlement =
  /** The charge stands and paid the order. */
  | { kind: 'PAID'; payment: Payment }
  /** Nothing was charged: the attempt FAILED and the order is payable again. `declined`: the gateway refused it. */
  | { kind: 'NOT_CHARGED'; payment: Payment; declined?: { code: string; message: string } }
  /** Nobody knows yet: the attempt stays PROCESSING for the reconciler. */
  | { kind: 'UNDECIDED'; payment: Payment }
  /** A virtual account was issued: the attempt and its order wait for the deposit. */
  | { kind: 'AWAITING_DEPOSIT'; payment: Payment }
  /** A virtual account was closed at the gateway unpaid: the order CANCELLED or EXPIRED, what it held released. */
  | { kind: 'CLOSED'; payment: Payment }
  /** Charged, but a business rule refused the order (its stock, its coupon): the charge is being cancelled. */
  | { kind: 'REFUSED'; payment: Payment; error: DomainError }
  /** The gateway answered for another charge than the one asked (GATEWAY_MISMATCH): it is being cancelled. */
  | { kind: 'MISMATCH'; payment: Payment; mismatch: Mismatch }
  /** Charged, but that charge is being cancelled as an earlier attempt's late approval (the same paymentKey). */
  | { kind: 'CHARGE_BEING_CANCELLED'; payment: Payment }
  /** An attempt the shop had given up on was charged after all: the charge is being cancelled. */
  | { kind: 'LATE_APPROVAL_CANCELLED'; payment: GatewayAttempt }
  /** Someone else (the request, the reconciler, a webhook) settled it first; nothing changed. */
  | { kind: 'ALREADY_SETTLED'; payment: Payment }
  /** Nothing to do: an ended attempt the gateway did not charge, or whose cancellation is already asked. */
  | { kind: 'NOTHING'; payment: GatewayAttempt };

/**
 * Pays an order through the payment gateway (card), in three phases so that no lock or
 * transaction is held while the gateway thinks (DESIGN.md "Card payments: three phases"):
 *
 *   1. claim   BEGIN { order PENDING → PAYING, coupon HELD, attempt PROCESSING } COMMIT
 *              undo: unclaim, in the transaction that settles an attempt nothing was charged for
 *   2. charge  confirm at the gateway, outside any transaction, with the server's own amount;
 *              one lookup by the attempt's paymentKey when the outcome is unknown
 *              undo: uncharge, the charge cancelled at the gateway (GatewayChargeCancellation)
 *   3. settle  BEGIN { the order locked; by the verdict: PAID | unclaim | still PROCESSING } COMMIT
 *
 * In the common case (no Idempotency-Key, every check holding) the claim and the PAID settlement
 * are each ONE statement instead (claimAtOnce, completeAtOnce), which commits the same rows.
 *
 * `settle` is the one decide-and-settle of a gateway attempt: the request, the reconciler, the
 * late-approval watch and the webhooks all go through it, under the order's row lock, each
 * settlement guarded by the attempt's status, so that whoever settles first wins and the others
 * change nothing. Every answer is checked against what was asked (the verdict) before it is
 * believed. Outcomes are values (Settlement); only the answer to the client turns them into errors.
 */
@Injectable()
export class PayThroughGatewayUseCase {
  constructor(
    private readonly lock: PaymentLock,
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderPayments,
    private readonly events: SyncEventPublisher,
    private readonly outbox: OutboxWriter,
    private readonly payments: PaymentStore,
    private readonly checkouts: Checkouts,
    private readonly cancellation: GatewayChargeCancellation,
    private readonly gateway: PaymentGateway,
    private readonly settings: PaymentSettings,
    private readonly outcomes: PaymentOutcomes,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(PayThroughGatewayUseCase.name);
  }

  async execute(command: GatewayPaymentCommand): Promise<Payment> {
    if (!this.settings.PG_BASE_URL) throw new PaymentMethodUnavailableError();
    const started = performance.now();
    this.logContext.assign({ orderId: command.orderId });
    const request: PaymentRequest = { method: command.method, orderId: command.orderId, userId: command.userId, amount: null };
    try {
      const attempt = await this.claim(command);
      request.amount = attempt.amount;
      const verdict = await this.charge(attempt);
      const payment = answerOf(await this.settle(attempt, verdict));
      this.outcomes.paid(request, started, payment);
      return payment;
    } catch (error) {
      this.outcomes.failed(request, started, error);
      throw error;
    }
  }

  // Phase 1: claim the order for the gateway.

  /**
   * Under the order's lock: the attempt exists, with the gateway order id it is confirmed with
   * and the key every gateway call of it will carry, before the gateway is called. A request's
   * Idempotency-Key stays taken until the answer is stored (a crash frees it when the hold runs out).
   */
  private async claim(command: GatewayPaymentCommand): Promise<GatewayAttempt> {
    const { userId, orderId, method, paymentKey, gatewayOrderId } = command;
    const lock = await lockAsPayer(this.lock, this.orders, userId, orderId);
    try {
      const atOnce = await this.claimAtOnce(command);
      if (atOnce) return atOnce;
      return await this.unitOfWork.run(
        async () => {
          // The claim first: it is the owner's check, so a stranger learns nothing of the order's checkouts.
          const order = await this.orders.claim(userId, orderId, 'PAYING');
          const target = await this.checkouts.gatewayOrderIdFor(orderId, gatewayOrderId);
          await this.events.publish(new PaymentHoldingEvent(paymentFlowOrder(order)));
          return this.payments.insertProcessingGateway({ orderId: order.id, userId, amount: order.finalAmount, method, paymentKey, gatewayOrderId: target });
        },
        { answers: false, holdKeyForMs: this.longestRequestMs },
      );
    } finally {
      await this.lock.release(lock, orderId);
    }
  }

  /**
   * Phase 1's common case as ONE statement, no transaction block (issue 21): the order PENDING →
   * PAYING, payment.holding's part (the coupon HELD) and the attempt PROCESSING, each guarded in
   * SQL, committed all or none; the statement reads the order itself (nothing is read before it).
   * Null, with nothing written, for a request whose Idempotency-Key must stay claimed with the
   * claim, and when a check fails (an order the user cannot pay now, the coupon, a checkout not
   * the order's): the transaction way then says why.
   */
  private claimAtOnce({ userId, orderId, method, paymentKey, gatewayOrderId }: GatewayPaymentCommand): Promise<GatewayAttempt | null> {
    return this.unitOfWork.runAsOneStatement<GatewayAttempt>(async (statement) => {
      const order = { ...this.orders.claimPart(statement, userId, orderId, null), statement };
      const target = this.checkouts.gatewayOrderIdPart(statement, orderId, gatewayOrderId);
      await this.events.publish(new PaymentHoldingEvent(order));
      this.payments.insertProcessingGatewayPart(statement, { orderId, userId, method, paymentKey }, order.amountSql, target);
      return true;
    });
  }

  /**
   * The undo of phase 1, in the caller's transaction (which holds the order's lock): the attempt
   * FAILED with why, the order PENDING again, what payment.holding held released, PAYMENT_FAILED.
   * `watch`: the outcome was unknown for a while, so the attempt stays watched for a late
   * approval. Null when the attempt was no longer PROCESSING.
   */
  private async unclaim(attempt: GatewayAttempt, failureCode: string, watch: boolean): Promise<Payment | null> {
    const payment = await this.payments.failCard(attempt.id, failureCode, watch);
    if (!payment) return null;
    const order = await this.orders.release(attempt.orderId);
    if (order) await this.events.publish(new PaymentReleasingHoldEvent(paymentFlowOrder(order)));
    await this.outbox.add(new PaymentFailedEvent(payment), payment.orderId);
    return payment;
  }

  // Phase 2: charge at the gateway.

  /** No transaction and no lock: the confirm, and when its outcome is unknown, one lookup. */
  private async charge(attempt: GatewayAttempt): Promise<Verdict> {
    const confirmed = verdictOfConfirm(
      await this.gateway.confirm({ paymentKey: attempt.paymentKey, gatewayOrderId: attempt.gatewayOrderId, amount: attempt.amount, idempotencyKey: attempt.gatewayKey }),
      askedBy(attempt),
    );
    return confirmed.kind === 'LOOK_UP' ? this.lookUp(attempt) : confirmed;
  }

  /** What the gateway says now of the attempt's own charge (its paymentKey), for whoever asks. */
  async lookUp(attempt: GatewayAttempt): Promise<Verdict> {
    return verdictOfLookup(await this.gateway.findByPaymentKey(attempt.paymentKey), askedBy(attempt));
  }

  /** Settles the attempt by a lookup already made (a webhook's re-read serves every attempt carrying the charge). */
  settleByLookup(attempt: GatewayAttempt, lookup: LookupAnswer): Promise<Settlement> {
    return this.settle(attempt, verdictOfLookup(lookup, askedBy(attempt)));
  }

  /** The undo of phase 2, in the caller's transaction: a charge that must not stand is cancelled at the gateway. */
  private uncharge(attempt: GatewayAttempt, reason: string): Promise<boolean> {
    return this.cancellation.request(attempt, reason);
  }

  // Phase 3: settle by the gateway's word.

  /**
   * Settles the attempt by the verdict. A virtual account waiting for its deposit is paid by the
   * deposit exactly as a card is by its approval, or released once the gateway says it closed;
   * for an attempt that already ended, only a charge after all matters.
   */
  async settle(attempt: GatewayAttempt, verdict: Verdict): Promise<Settlement> {
    if (attempt.status === 'AWAITING_DEPOSIT') return this.settleAwaiting(attempt, verdict);
    if (attempt.status !== 'PROCESSING') {
      // A virtual account issued late is closed like a late charge: else a deposit could still land for an order that moved on.
      const standsLate = verdict.kind === 'CHARGED' || verdict.kind === 'MISMATCH' || verdict.kind === 'ISSUED';
      return standsLate ? this.cancelLateApproval(attempt) : { kind: 'NOTHING', payment: attempt };
    }
    switch (verdict.kind) {
      case 'CHARGED':
        return this.complete(attempt, verdict.payment);
      case 'ISSUED':
        return this.awaitDeposit(attempt, verdict.payment);
      case 'MISMATCH':
        return this.refuseMismatch(attempt, verdict.payment, verdict.mismatch);
      case 'NOT_CHARGED':
        return this.unitOfWork.run(async (): Promise<Settlement> => {
          await this.orders.lock(attempt.orderId);
          const payment = await this.unclaim(attempt, verdict.failureCode, verdict.watch);
          if (!payment) return this.alreadySettled(attempt);
          return { kind: 'NOT_CHARGED', payment, declined: verdict.declined && { code: verdict.failureCode, message: verdict.declined.message } };
        }, ANSWERED);
      case 'UNDECIDED':
      case 'LOOK_UP':
        return this.unitOfWork.run(async (): Promise<Settlement> => {
          const payment = await this.payments.markOutcomeUnknown(attempt.id);
          return payment ? { kind: 'UNDECIDED', payment } : this.alreadySettled(attempt);
        }, ANSWERED);
    }
  }

  /**
   * The gateway charged the attempt as asked: the stock sold and the coupon used through the
   * same order.processing listeners as the balance path, the order PAID, the payment COMPLETED
   * with the gateway's approval key. If a listener refuses (a business rule), that rolls back,
   * and the charge must not stand: the attempt is unclaimed and its charge cancelled.
   */
  private async complete(attempt: GatewayAttempt, charged: GatewayPayment): Promise<Settlement> {
    const charge: GatewayCharge = {
      approvalNumber: charged.approvalNumber,
      approvalKey: charged.lastTransactionKey,
      method: methodOfAnswer(charged.method),
      easyPayProvider: charged.easyPayProvider,
    };
    try {
      const atOnce = await this.completeAtOnce(attempt, charge);
      const settlement = atOnce ?? (await this.completeChecked(attempt, charge));
      // Counted once committed: a rollback (a listener's refusal) paid nothing.
      if (settlement.kind === 'PAID') {
        this.metrics.ordersPaid.inc({ method: settlement.payment.method });
        this.metrics.gatewayCompletions.inc({ way: atOnce ? 'one_statement' : 'transaction' });
      }
      return settlement;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.refuse(attempt, error);
    }
  }

  /**
   * The common case as ONE statement, no transaction block (issue 21): the order PAYING → PAID,
   * the attempt COMPLETED, order.processing's parts (the stock sold, the held coupon used) and
   * order.processed in the outbox, each guarded in SQL, committed all or none; the statement reads
   * the order itself. Null, with nothing written, when a guard misses (the order moved on, someone settled the attempt first, its
   * paymentKey's charge is being cancelled), when a listener refuses, and for a request whose
   * Idempotency-Key record must commit with the answer: the checked way then finds out which.
   */
  private async completeAtOnce(attempt: GatewayAttempt, charge: GatewayCharge): Promise<Settlement | null> {
    const payment = await this.unitOfWork.runAsOneStatement<Payment>(async (statement) => {
      const paidAt = new Date();
      const order = { ...this.orders.markPaidPart(statement, attempt.orderId, attempt.userId, paidAt), statement };
      this.orders.recordPaidPart(statement, order, this.payments.completeGatewayPart(statement, attempt.id, charge), paidAt);
      await this.events.publish(new OrderProcessingEvent(order, true));
      return true;
    });
    return payment && { kind: 'PAID', payment };
  }

  /** The order locked first, then each guard in turn, so that a miss says what it means. */
  private completeChecked(attempt: GatewayAttempt, charge: GatewayCharge): Promise<Settlement> {
    return this.unitOfWork.run(async (): Promise<Settlement> => {
      await this.orders.lock(attempt.orderId);
      const payment = await this.payments.completeGateway(attempt.id, charge);
      if (!payment) return (await this.payments.chargeCancelRequested(attempt.id)) ? this.giveUpCancelledCharge(attempt) : this.alreadySettled(attempt);
      const order = await this.orders.markPaid(attempt.orderId);
      if (!order) throw new Error(`order ${attempt.orderId} of PROCESSING gateway payment ${attempt.id} is not PAYING`);
      return this.paid(order, payment);
    }, ANSWERED);
  }

  /** Both ways' end, in their transaction: order.processed, then the stock sold and the held coupon used by the same listeners as a balance payment's. */
  private async paid(order: PayableOrder, payment: Payment): Promise<Settlement> {
    await this.orders.recordPaid(order, { paymentId: payment.id, method: payment.method });
    await this.events.publish(new OrderProcessingEvent(paymentFlowOrder(order), true));
    return { kind: 'PAID', payment };
  }

  /** A virtual account was issued for the attempt: it and its order wait for the deposit, holding the stock and the coupon (202). */
  private awaitDeposit(attempt: GatewayAttempt, issued: GatewayPayment & { virtualAccount: GatewayVirtualAccount }): Promise<Settlement> {
    const dueAt = new Date(issued.virtualAccount.dueDate);
    return this.unitOfWork.run(async (): Promise<Settlement> => {
      await this.orders.lock(attempt.orderId);
      const payment = await this.payments.awaitDeposit(attempt.id, { virtualAccount: { ...issued.virtualAccount, dueDate: dueAt }, secret: issued.secret, dueAt });
      if (!payment) return this.alreadySettled(attempt);
      if (!(await this.orders.awaitDeposit(attempt.orderId))) throw new Error(`order ${attempt.orderId} of PROCESSING gateway payment ${attempt.id} is not PAYING`);
      return { kind: 'AWAITING_DEPOSIT', payment };
    }, ANSWERED);
  }

  /** What the gateway's word means for an account waiting for its deposit. */
  private async settleAwaiting(attempt: GatewayAttempt, verdict: Verdict): Promise<Settlement> {
    switch (verdict.kind) {
      case 'CHARGED': {
        const settlement = await this.complete(attempt, verdict.payment);
        if (settlement.kind === 'PAID') this.metrics.deposits.inc();
        return settlement;
      }
      case 'NOT_CHARGED':
        // Closed at the gateway (expired there, or closed by someone before its due date): nothing will be paid into it.
        return this.releaseDeposit(attempt, attempt.depositDueAt && attempt.depositDueAt <= new Date() ? 'EXPIRED' : 'CANCELLED', null);
      case 'MISMATCH':
        await this.unitOfWork.run(() => this.alertMismatch(attempt, verdict.payment, verdict.mismatch));
        this.logger.error({ orderId: attempt.orderId, paymentId: attempt.id, ...verdict.mismatch }, 'a virtual account deposit does not match the charge asked for: not believed, the order stays unpaid');
        return { kind: 'NOTHING', payment: attempt };
      default:
        return { kind: 'NOTHING', payment: attempt };
    }
  }

  /**
   * The undo of a virtual account, once the gateway closed it unpaid (the caller closed it, or the
   * gateway says so): the attempt CANCELLED (by the customer) or FAILED (VIRTUAL_ACCOUNT_EXPIRED),
   * PAYMENT_FAILED, then the order CANCELLED or EXPIRED with its stock released and ORDER_CANCELLED
   * or ORDER_EXPIRED, and the coupon's hold released: nothing of it is released while money may stand.
   */
  async releaseDeposit(attempt: GatewayAttempt, to: 'CANCELLED' | 'EXPIRED', transactionKey: string | null): Promise<Settlement> {
    return this.unitOfWork.run(async (): Promise<Settlement> => {
      await this.orders.lock(attempt.orderId);
      const payment = await this.payments.closeAwaiting(attempt.id, to === 'CANCELLED' ? 'CANCELLED' : 'FAILED', to === 'EXPIRED' ? 'VIRTUAL_ACCOUNT_EXPIRED' : null, transactionKey);
      if (!payment) return this.alreadySettled(attempt);
      await this.outbox.add(new PaymentFailedEvent(payment), payment.orderId);
      const order = await this.orders.closeAwaitingDeposit(attempt.orderId, to);
      if (order) await this.events.publish(new PaymentReleasingHoldEvent(paymentFlowOrder(order)));
      if (to === 'EXPIRED') this.metrics.accountsExpired.inc();
      return { kind: 'CLOSED', payment };
    });
  }

  /**
   * The attempt was approved with a paymentKey whose charge is being cancelled as an earlier
   * attempt's late approval: it cannot pay the order, and ends FAILED with the gateway's own word
   * for that charge once the cancellation lands.
   */
  private async giveUpCancelledCharge(attempt: GatewayAttempt): Promise<Settlement> {
    const payment = await this.unclaim(attempt, 'CANCELED', false);
    if (!payment) return this.alreadySettled(attempt);
    this.logger.warn({ orderId: attempt.orderId, paymentId: attempt.id }, 'gateway payment approved with a paymentKey whose charge is being cancelled as a late approval: not completed');
    return { kind: 'CHARGE_BEING_CANCELLED', payment };
  }

  /** Approved, but the order could not be completed: no charge may stand. */
  private async refuse(attempt: GatewayAttempt, error: DomainError): Promise<Settlement> {
    const settlement = await this.unitOfWork.run(async (): Promise<Settlement> => {
      await this.orders.lock(attempt.orderId);
      const payment = await this.unclaim(attempt, error.code, false);
      if (!payment) return this.alreadySettled(attempt);
      await this.uncharge(attempt, `order could not be completed: ${error.code}`);
      return { kind: 'REFUSED', payment, error };
    }, ANSWERED);
    if (settlement.kind === 'REFUSED') {
      this.logger.error(
        { orderId: attempt.orderId, paymentId: attempt.id, failureCode: error.code },
        'gateway payment approved but the order could not be completed: the charge is being cancelled at the gateway',
      );
    }
    return settlement;
  }

  /** The gateway says it charged, but not what was asked: the charge must not stand, and an operator hears of it. */
  private async refuseMismatch(attempt: GatewayAttempt, answered: GatewayPayment, mismatch: Mismatch): Promise<Settlement> {
    const settlement = await this.unitOfWork.run(async (): Promise<Settlement> => {
      await this.orders.lock(attempt.orderId);
      const payment = await this.unclaim(attempt, 'GATEWAY_MISMATCH', false);
      if (!payment) return this.alreadySettled(attempt);
      await this.uncharge(attempt, `the gateway's answer did not match the charge asked for (${mismatch.field})`);
      await this.alertMismatch(attempt, answered, mismatch);
      return { kind: 'MISMATCH', payment, mismatch };
    }, ANSWERED);
    if (settlement.kind === 'MISMATCH') {
      this.logger.error(
        { orderId: attempt.orderId, paymentId: attempt.id, ...mismatch, gatewayStatus: answered.status },
        'gateway answer does not match the charge asked for: the payment failed and the charge is being cancelled at the gateway',
      );
    }
    return settlement;
  }

  /** A charge the shop had given up on was approved after all (a late approval): it is cancelled at the gateway. */
  private async cancelLateApproval(attempt: GatewayAttempt): Promise<Settlement> {
    const requested = await this.unitOfWork.run(async () => {
      await this.orders.lock(attempt.orderId);
      return this.uncharge(attempt, 'late approval of an abandoned payment');
    });
    if (!requested) return { kind: 'NOTHING', payment: attempt };
    this.logger.warn(
      { orderId: attempt.orderId, paymentId: attempt.id, userId: attempt.userId, amount: attempt.amount },
      'late approval: the gateway charged a payment the shop had given up on; cancelling it there',
    );
    return { kind: 'LATE_APPROVAL_CANCELLED', payment: attempt };
  }

  private async alertMismatch(attempt: GatewayAttempt, answered: GatewayPayment, { field, asked, answered: value }: Mismatch): Promise<void> {
    const message =
      `Gateway payment ${attempt.id} of order ${attempt.orderId}: the gateway answered ${field} ${String(value)} for a charge asked with ${String(asked)} ` +
      `(paymentKey ${attempt.paymentKey}, status ${answered.status}). The payment failed and the charge is being cancelled at the gateway; check it there.`;
    await this.outbox.add(new AlertRaisedEvent({ alert: 'PG_ANSWER_MISMATCH', severity: 'critical', message, orderId: attempt.orderId, paymentId: attempt.id }), attempt.orderId);
  }

  private async alreadySettled(attempt: GatewayAttempt): Promise<Settlement> {
    return { kind: 'ALREADY_SETTLED', payment: (await this.payments.find(attempt.id))! };
  }

  /** A confirm and at most one lookup, each within PG_TIMEOUT_MS: the longest a payment request waits on the gateway. */
  private get longestRequestMs(): number {
    return 2 * this.settings.PG_TIMEOUT_MS + 5_000;
  }
}

function askedBy(attempt: GatewayAttempt): AskedCharge {
  return { paymentKey: attempt.paymentKey, gatewayOrderId: attempt.gatewayOrderId, amount: attempt.amount };
}

/**
 * The request's answer, stored with the transaction that decides it: a payment the client is
 * answered with (COMPLETED 201, PROCESSING 202), or nothing when the answer is an error (a
 * decline is stored by the Idempotency-Key interceptor once its error is thrown; a 5xx is not).
 */
const ANSWERED = {
  answers: (settlement: Settlement) => {
    const { kind, payment } = settlement;
    const answers =
      kind === 'PAID' || kind === 'UNDECIDED' || kind === 'AWAITING_DEPOSIT' || (kind === 'ALREADY_SETTLED' && ANSWERED_STATUSES.has(payment.status));
    return answers ? payment : NOT_THE_ANSWER;
  },
};

/** An attempt in one of these is the request's answer (201 COMPLETED, 202 PROCESSING or AWAITING_DEPOSIT). */
const ANSWERED_STATUSES = new Set(['COMPLETED', 'PROCESSING', 'AWAITING_DEPOSIT']);

/** What the client is answered: the payment, or the error the settlement means for it. */
function answerOf(settlement: Settlement): Payment {
  switch (settlement.kind) {
    case 'PAID':
    case 'UNDECIDED':
    case 'AWAITING_DEPOSIT':
      return settlement.payment;
    case 'NOT_CHARGED':
      if (settlement.declined) throw new CardDeclinedError(settlement.declined.code, settlement.declined.message);
      throw new PaymentGatewayUnavailableError();
    case 'REFUSED':
      throw settlement.error;
    case 'MISMATCH':
      throw new PaymentGatewayError();
    case 'ALREADY_SETTLED':
      // The reconciler or a webhook settled it while this request still waited: answered by what it decided.
      if (ANSWERED_STATUSES.has(settlement.payment.status)) return settlement.payment;
      throw new PaymentGatewayUnavailableError();
    case 'CLOSED':
    case 'CHARGE_BEING_CANCELLED':
    case 'LATE_APPROVAL_CANCELLED':
    case 'NOTHING':
      // Like a lookup that found the charge cancelled: nothing stands, the order is payable again.
      throw new PaymentGatewayUnavailableError();
  }
}
