import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { GatewayAttempt } from '../domain/payment';
import { CloseVirtualAccountUseCase } from './close-virtual-account.use-case';
import { PayThroughGatewayUseCase, Settlement } from './pay-through-gateway.use-case';
import { PaymentStore } from './ports/payment-store.port';
import { PaymentSettings } from '../payment.settings';

const BATCH_SIZE = 50;

export interface ReconciliationPass {
  completed: number;
  failed: number;
  lateApprovalsCancelled: number;
  undecided: number;
}

/** Which count of the pass a settlement adds to; one that changed nothing counts for none. */
const COUNTED: Record<Settlement['kind'], keyof ReconciliationPass | null> = {
  PAID: 'completed',
  NOT_CHARGED: 'failed',
  REFUSED: 'failed',
  MISMATCH: 'failed',
  CHARGE_BEING_CANCELLED: 'failed',
  UNDECIDED: 'undecided',
  AWAITING_DEPOSIT: null,
  CLOSED: 'failed',
  LATE_APPROVAL_CANCELLED: 'lateApprovalsCancelled',
  ALREADY_SETTLED: null,
  NOTHING: null,
};

/**
 * The recovery point of gateway payments (DESIGN.md): brings every attempt left PROCESSING (a
 * gateway that did not answer, a crash between its approval and phase 3) to the state the
 * gateway reports, keeps watching attempts whose outcome was ever unknown for a late approval,
 * looks each virtual account waiting for its deposit up now and then (its webhook may never
 * come), and closes those whose due date passed. It looks each up and settles it through the request path's own phase 3
 * (PayThroughGatewayUseCase.settle). Idempotent, safe in every instance at once: rows are leased
 * with SKIP LOCKED, no lock is held while the gateway is asked, each settlement is guarded.
 */
@Injectable()
export class ReconcileGatewayPaymentsUseCase {
  constructor(
    private readonly payments: PaymentStore,
    private readonly gatewayPayments: PayThroughGatewayUseCase,
    private readonly accounts: CloseVirtualAccountUseCase,
    private readonly config: PaymentSettings,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReconcileGatewayPaymentsUseCase.name);
  }

  async execute(): Promise<ReconciliationPass> {
    const pass: ReconciliationPass = { completed: 0, failed: 0, lateApprovalsCancelled: 0, undecided: 0 };
    // A lookup may take PG_TIMEOUT_MS; the lease outlives a whole batch of them.
    const leaseMs = this.config.PG_TIMEOUT_MS * 2 + 5_000;
    for (;;) {
      // An account waiting for its deposit is looked up by itself every 10 passes, in case its webhook never comes.
      const batch = await this.payments.leaseForReconciliation(BATCH_SIZE, this.config.PG_TIMEOUT_MS, this.config.PG_WATCH_SECONDS, leaseMs, 10 * this.config.PG_RECONCILE_INTERVAL_MS);
      for (const attempt of batch) await this.reconcile(attempt, pass);
      if (batch.length < BATCH_SIZE) break;
    }
    if (pass.completed + pass.failed + pass.lateApprovalsCancelled + pass.undecided > 0) this.logger.info(pass, 'gateway payments reconciled with the gateway');
    return pass;
  }

  private async reconcile(attempt: GatewayAttempt, pass: ReconciliationPass): Promise<void> {
    try {
      const settlement = isDue(attempt) ? await this.closeDue(attempt) : await this.gatewayPayments.settle(attempt, await this.gatewayPayments.lookUp(attempt));
      const counted = settlement ? COUNTED[settlement.kind] : 'undecided';
      if (counted) pass[counted]++;
    } catch (error) {
      // One attempt that cannot be settled now (an order no longer PAYING, a lock timeout) must not
      // keep the rest of the batch from theirs; its lease runs out and a later pass retries it.
      pass.undecided++;
      this.logger.warn({ orderId: attempt.orderId, paymentId: attempt.id, err: error }, 'gateway payment could not be reconciled in this pass; retried in a later one');
    }
  }

  /** A virtual account whose due date passed unpaid is closed at the gateway; null when the gateway could not say (the next pass tries again). */
  private async closeDue(attempt: GatewayAttempt): Promise<Settlement | null> {
    const closing = await this.accounts.execute(attempt, 'EXPIRED');
    return closing.kind === 'UNKNOWN' ? null : closing.settlement;
  }
}

function isDue(attempt: GatewayAttempt): boolean {
  return attempt.status === 'AWAITING_DEPOSIT' && attempt.depositDueAt !== null && attempt.depositDueAt <= new Date();
}
