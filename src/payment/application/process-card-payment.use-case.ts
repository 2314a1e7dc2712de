import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderPayments } from '../../order/application/order-payments';
import { gatewayOrderId, verdictOf } from '../domain/card-payment';
import { CardDeclinedError, PaymentGatewayUnavailableError, PaymentMethodUnavailableError } from '../domain/payment.errors';
import { PaymentLock } from '../infrastructure/payment-lock';
import { CardAttempt, PaymentRepository, PaymentRow } from '../infrastructure/payment.repository';
import { AttemptAlreadySettled, CardPaymentSettlement, ChargeBeingCancelled } from './card-payment-settlement';
import { OrderPayingEvent } from './events/payment-events';
import { orderLines } from './order-lines';
import { PaymentOutcomes, PaymentRequest } from './payment-outcomes';
import { PAYMENT_GATEWAY } from './ports/payment-gateway.port';
import type { PaymentGateway } from './ports/payment-gateway.port';

/**
 * Pays an order by card, in three phases so that no lock or transaction is held while the
 * gateway thinks (DESIGN.md, "Card payments: three phases around the gateway"):
 *   1. lock → BEGIN { PENDING→PAYING, coupon held (order.paying), attempt PROCESSING with its
 *      gateway key } COMMIT → release
 *   2. confirm at the gateway, outside any transaction, with the server's own finalAmount
 *   3. one transaction by the answer (CardPaymentSettlement): approved → PAID (201); declined →
 *      FAILED, order PENDING (402); unknown → one lookup, then PAID, FAILED (503), or still
 *      PROCESSING for the reconciler (202).
 */
@Injectable()
export class ProcessCardPaymentUseCase {
  constructor(
    private readonly lock: PaymentLock,
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderPayments,
    private readonly events: SyncEventPublisher,
    private readonly payments: PaymentRepository,
    private readonly settlement: CardPaymentSettlement,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outcomes: PaymentOutcomes,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(ProcessCardPaymentUseCase.name);
  }

  async execute(userId: number, orderId: number, paymentKey: string): Promise<PaymentRow> {
    if (!this.config.PG_BASE_URL) throw new PaymentMethodUnavailableError();
    const started = performance.now();
    this.logContext.assign({ orderId });
    const request: PaymentRequest = { method: 'CARD', orderId, userId, amount: null };
    try {
      await this.orders.assertOwner(userId, orderId);
      const attempt = await this.start(userId, orderId, paymentKey);
      request.amount = attempt.amount;
      const payment = await this.settle(attempt);
      this.outcomes.paid(request, started, payment);
      return payment;
    } catch (error) {
      this.outcomes.failed(request, started, error);
      throw error;
    }
  }

  /** Phase 1, under the order's lock: the attempt exists, with the key every gateway call of it will carry. */
  private async start(userId: number, orderId: number, paymentKey: string): Promise<CardAttempt> {
    const lock = await this.lock.acquire(orderId);
    try {
      return await this.unitOfWork.run(
        async () => {
          const order = await this.orders.claim(userId, orderId, 'PAYING');
          await this.events.publish(OrderPayingEvent.NAME, new OrderPayingEvent(order.id, userId, order.userCouponId, orderLines(order), order.finalAmount));
          return this.payments.insertProcessingCard(order.id, userId, order.finalAmount, paymentKey);
        },
        { answers: false },
      );
    } finally {
      await this.lock.release(lock, orderId);
    }
  }

  /** Phases 2 and 3. */
  private async settle(attempt: CardAttempt): Promise<PaymentRow> {
    const target = gatewayOrderId(attempt.orderId);
    try {
      const confirm = await this.gateway.confirm({ paymentKey: attempt.paymentKey, gatewayOrderId: target, amount: attempt.amount, idempotencyKey: attempt.gatewayKey });
      if (confirm.kind === 'APPROVED') return await this.settlement.complete(attempt, confirm.payment.approvalNumber);
      if (confirm.kind === 'DECLINED') {
        await this.settlement.fail(attempt, confirm.code, false);
        throw new CardDeclinedError(confirm.code, confirm.message);
      }
      if (confirm.kind === 'UNREACHABLE') {
        await this.settlement.fail(attempt, 'GATEWAY_UNREACHABLE', false);
        throw new PaymentGatewayUnavailableError();
      }
      const lookup = await this.gateway.findByOrderId(target);
      if (lookup.kind === 'UNKNOWN') return await this.settlement.markUnknown(attempt);
      const found = lookup.kind === 'FOUND' ? { found: true as const, paymentKey: lookup.payment.paymentKey, status: lookup.payment.status } : { found: false as const };
      const verdict = verdictOf(found, attempt.paymentKey);
      if (verdict === 'CHARGED' && lookup.kind === 'FOUND') return await this.settlement.complete(attempt, lookup.payment.approvalNumber);
      if (verdict === 'NOT_CHARGED') {
        await this.settlement.fail(attempt, found.found ? found.status : 'NOT_FOUND_PAYMENT', true);
        throw new PaymentGatewayUnavailableError();
      }
      return await this.settlement.markUnknown(attempt);
    } catch (error) {
      // Like a lookup that found the charge cancelled: nothing stands, the order is payable again.
      if (error instanceof ChargeBeingCancelled) throw new PaymentGatewayUnavailableError();
      if (!(error instanceof AttemptAlreadySettled)) throw error;
      return this.answerSettled(attempt.id);
    }
  }

  /** The reconciler settled the attempt while this request was still waiting: answer by what it decided. */
  private async answerSettled(paymentId: number): Promise<PaymentRow> {
    const payment = await this.settlement.current(paymentId);
    if (payment.status === 'COMPLETED' || payment.status === 'PROCESSING') return payment;
    throw new PaymentGatewayUnavailableError();
  }
}
