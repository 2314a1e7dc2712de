import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { gatewayOrderId, verdictOf } from '../domain/card-payment';
import { CardAttempt, PaymentRepository } from '../infrastructure/payment.repository';
import { AttemptAlreadySettled, CardPaymentSettlement, ChargeBeingCancelled } from './card-payment-settlement';
import { PAYMENT_GATEWAY } from './ports/payment-gateway.port';
import type { PaymentGateway } from './ports/payment-gateway.port';

const BATCH_SIZE = 50;

export interface ReconciliationPass {
  completed: number;
  failed: number;
  lateApprovalsCancelled: number;
  undecided: number;
}

/**
 * The recovery point of card payments (DESIGN.md): brings every attempt left PROCESSING (a
 * gateway that did not answer, a crash between its approval and phase 3) to the state the
 * gateway reports, and keeps watching attempts whose outcome was ever unknown for a late
 * approval, which it cancels at the gateway. Idempotent, safe in every instance at once: rows
 * are leased with SKIP LOCKED, no lock is held while the gateway is asked, and each settlement
 * is guarded by the attempt's status.
 */
@Injectable()
export class ReconcileCardPaymentsUseCase {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly settlement: CardPaymentSettlement,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReconcileCardPaymentsUseCase.name);
  }

  async execute(): Promise<ReconciliationPass> {
    const pass: ReconciliationPass = { completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 };
    // A lookup may take PG_TIMEOUT_MS; the lease outlives a whole batch of them.
    const leaseMs = this.config.PG_TIMEOUT_MS * 2 + 5_000;
    for (;;) {
      const batch = await this.payments.leaseForReconciliation(BATCH_SIZE, this.config.PG_TIMEOUT_MS, this.config.PG_WATCH_SECONDS, leaseMs);
      for (const attempt of batch) await this.reconcile(attempt, pass);
      if (batch.length < BATCH_SIZE) break;
    }
    if (pass.completed + pass.failed + pass.lateApprovalsCancelled + pass.undecided > 0) this.logger.info(pass, 'card payments reconciled with the gateway');
    return pass;
  }

  private async reconcile(attempt: CardAttempt, pass: ReconciliationPass): Promise<void> {
    const lookup = await this.gateway.findByOrderId(gatewayOrderId(attempt.orderId));
    // Unreachable or undecided: the lease runs out and the next pass asks again.
    if (lookup.kind === 'UNKNOWN') {
      if (attempt.status === 'PROCESSING') pass.undecided++;
      return;
    }
    const found = lookup.kind === 'FOUND' ? { found: true as const, paymentKey: lookup.payment.paymentKey, status: lookup.payment.status } : { found: false as const };
    const verdict = verdictOf(found, attempt.paymentKey);
    try {
      if (attempt.status === 'FAILED') {
        if (verdict !== 'CHARGED') return;
        if (await this.settlement.cancelLateApproval(attempt)) pass.lateApprovalsCancelled++;
      } else if (verdict === 'CHARGED' && lookup.kind === 'FOUND') {
        await this.settlement.complete(attempt, lookup.payment.approvalNumber);
        pass.completed++;
      } else if (verdict === 'NOT_CHARGED') {
        await this.settlement.fail(attempt, found.found ? found.status : 'NOT_FOUND_PAYMENT', true);
        pass.failed++;
      } else {
        pass.undecided++;
      }
    } catch (error) {
      // Settled, FAILED: its charge is being cancelled (a later attempt's, or refused by a business rule).
      if (error instanceof ChargeBeingCancelled || error instanceof DomainError) pass.failed++;
      else if (!(error instanceof AttemptAlreadySettled)) {
        // One attempt that cannot be settled now (an order no longer PAYING, a lock timeout) must not
        // keep the rest of the batch from theirs; its lease runs out and a later pass retries it.
        pass.undecided++;
        this.logger.warn({ orderId: attempt.orderId, paymentId: attempt.id, err: error }, 'card payment could not be reconciled in this pass; retried in a later one');
      }
    }
  }
}
