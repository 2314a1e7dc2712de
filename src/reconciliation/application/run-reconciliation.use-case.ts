import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AlertRaisedEvent } from '../../alerting/application/events/alert-raised.event';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { PaymentBooks } from '../../payment/application/payment-books.facade';
import { RefundBooks } from '../../refund/application/refund-books.facade';
import { actionFor, GatewayLine, Mismatch, MismatchAction, reconcile, ShopCancel } from '../domain/reconciliation';
import { ReconciliationMetrics } from '../reconciliation.metrics';
import { Reconciliation, ReconciliationStore, ReportedMismatch } from './ports/reconciliation-store.port';

/** Gateway transactions this close outside the window are read too: a shop record near an edge is matched across it. */
const EDGE_MS = 60 * 60_000;
const CANCEL = new Set(['CANCELED', 'PARTIAL_CANCELED']);
/** A charge an attempt in one of these holds is not standing without a payment: it paid its order, or it is still being settled. */
const OPEN_OR_PAID = new Set(['COMPLETED', 'PROCESSING', 'AWAITING_DEPOSIT']);

export interface ReconciliationRun {
  from: Date;
  to: Date;
  trigger: 'ADMIN' | 'DAILY';
  /** The Seoul day of a daily run, stored once. */
  scheduledFor?: string;
}

/**
 * Holds the gateway's transaction list of [from, to) against the shop's books (API.md
 * "Reconciliation against the gateway's records") and repairs what is safe: a charge no
 * payment holds is cancelled at the gateway, a cancel the shop did not record is recorded (the
 * refund it completes, or a GATEWAY refund); the rest is for an operator. Each mismatch raises
 * RECONCILIATION_MISMATCH, in the transaction that stores the report. A second run finds what
 * the first repaired matched: the recorded cancels are the shop's now, and a charge being
 * cancelled (by the shop or by an earlier run) no longer counts as standing.
 */
@Injectable()
export class RunReconciliationUseCase {
  constructor(
    private readonly payments: PaymentBooks,
    private readonly refunds: RefundBooks,
    private readonly store: ReconciliationStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: OutboxWriter,
    private readonly metrics: ReconciliationMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RunReconciliationUseCase.name);
  }

  /** The stored report; null when a daily run of that day was stored first by another instance. */
  async execute({ from, to, trigger, scheduledFor }: ReconciliationRun): Promise<Reconciliation | null> {
    let gateway;
    try {
      gateway = await this.payments.gatewayTransactions(new Date(from.getTime() - EDGE_MS), new Date(to.getTime() + EDGE_MS));
    } catch (error) {
      this.metrics.runs.inc({ trigger, result: 'GATEWAY_UNAVAILABLE' });
      throw error;
    }
    const paymentKeys = [...new Set(gateway.map((t) => t.paymentKey))];
    const settledFirst = await this.payments.settleOpen([...new Set(gateway.filter((t) => t.status === 'DONE').map((t) => t.paymentKey))]);
    const cancelKeys = gateway.filter((t) => CANCEL.has(t.status)).map((t) => t.transactionKey);
    const cancelledBefore = await this.store.chargesCancelledBefore(paymentKeys);
    const charges = (await this.payments.charges(paymentKeys, from, to)).map((c) => (cancelledBefore.has(c.paymentKey) ? { ...c, beingCancelled: true } : c));
    const cancels: ShopCancel[] = [...(await this.payments.chargeCancels(cancelKeys)), ...(await this.refunds.cancelsWithKeys(cancelKeys))];
    cancels.push(...repairedCancels(gateway, cancels, charges, cancelledBefore));
    const held = new Set(charges.filter((c) => OPEN_OR_PAID.has(c.status) || c.beingCancelled).map((c) => c.paymentKey));
    const standing = new Map<string, number>();
    for (const key of paymentKeys) {
      if (held.has(key)) continue;
      standing.set(key, cancelledBefore.has(key) ? 0 : await this.payments.standing(key));
    }
    const matching = reconcile({ from, to, gateway, charges, cancels, standing });

    const mismatches: ReportedMismatch[] = [];
    for (const mismatch of matching.mismatches) mismatches.push({ ...mismatch, action: await this.repair(mismatch, charges) });
    const report = await this.unitOfWork.run(async () => {
      const stored = await this.store.insert({ from, to, gatewayTransactions: matching.gatewayTransactions, matched: matching.matched, matchedAmount: matching.matchedAmount, mismatches }, scheduledFor ?? null);
      if (stored) for (const mismatch of mismatches) await this.alert(stored, mismatch);
      return stored;
    });
    this.metrics.runs.inc({ trigger, result: 'DONE' });
    if (!report) return null;
    for (const { kind } of mismatches) this.metrics.mismatches.inc({ kind });
    const line = { reconciliationId: report.id, from, to, trigger, settledFirst, gatewayTransactions: report.gatewayTransactions, matched: report.matched, matchedAmount: report.matchedAmount, mismatches: mismatches.length };
    if (mismatches.length > 0) this.logger.warn(line, 'reconciliation against the gateway found mismatches; each raised RECONCILIATION_MISMATCH');
    else this.logger.info(line, 'reconciliation against the gateway: the books agree');
    return report;
  }

  private async repair(mismatch: Mismatch, charges: { paymentId: number; orderId: number; paymentKey: string; status: string }[]): Promise<MismatchAction> {
    const action = actionFor(mismatch.kind);
    if (mismatch.kind === 'CHARGE_WITHOUT_PAYMENT') {
      // Nothing asked: a later attempt of the order carries that charge now (it may be what pays it), so an operator looks.
      const asked = await this.payments.cancelCharge(mismatch.paymentKey, 'a charge no payment of the shop holds (found by the reconciliation)');
      return asked ? action : 'ALERTED';
    }
    if (mismatch.kind === 'CANCEL_WITHOUT_REFUND') {
      const paying = charges.find((c) => c.paymentKey === mismatch.paymentKey && c.status === 'COMPLETED');
      const cancel = { transactionKey: mismatch.transactionKey!, amount: mismatch.gatewayAmount! };
      if (paying) await this.refunds.accountForCancel({ paymentId: paying.paymentId, orderId: paying.orderId }, cancel);
      else if (!(await this.payments.recordChargeCancel(mismatch.paymentKey, cancel.transactionKey))) return 'ALERTED';
    }
    return action;
  }

  private async alert(report: Reconciliation, m: ReportedMismatch): Promise<void> {
    const message =
      `Reconciliation ${report.id} (${report.from.toISOString()} .. ${report.to.toISOString()}): ${m.kind} for paymentKey ${m.paymentKey}` +
      `${m.transactionKey ? `, transaction ${m.transactionKey}` : ''}${m.orderId ? `, order ${m.orderId}` : ''}: gateway ${m.gatewayAmount ?? '-'} won, shop ${m.shopAmount ?? '-'} won; ${m.action}.`;
    await this.outbox.add(
      new AlertRaisedEvent({ alert: 'RECONCILIATION_MISMATCH', severity: m.action === 'ALERTED' ? 'critical' : 'warning', message, orderId: m.orderId }),
      m.orderId ?? 0,
    );
  }
}

/**
 * The cancels of charges no attempt of the shop carries, which an earlier reconciliation found
 * (CHARGE_WITHOUT_PAYMENT) and had cancelled by their key alone: nothing in the books records
 * their transaction keys, and they are the shop's own repairs, not cancels made outside it.
 */
function repairedCancels(gateway: GatewayLine[], known: ShopCancel[], charges: { paymentKey: string }[], cancelledBefore: ReadonlySet<string>): ShopCancel[] {
  const explained = new Set(known.map((c) => c.transactionKey));
  const carried = new Set(charges.map((c) => c.paymentKey));
  return gateway
    .filter((t) => CANCEL.has(t.status) && cancelledBefore.has(t.paymentKey) && !carried.has(t.paymentKey) && !explained.has(t.transactionKey))
    .map((t) => ({ transactionKey: t.transactionKey, amount: t.amount, orderId: null }));
}
