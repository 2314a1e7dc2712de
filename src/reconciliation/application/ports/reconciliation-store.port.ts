import type { Matching, MismatchAction, Mismatch } from '../../domain/reconciliation';

export type ReportedMismatch = Mismatch & { action: MismatchAction };

/** A reconciliation as clients see it (API.md `Reconciliation`). */
export interface Reconciliation extends Omit<Matching, 'mismatches'> {
  id: number;
  from: Date;
  to: Date;
  mismatches: ReportedMismatch[];
  createdAt: Date;
}

/** The reconciliations table. */
export abstract class ReconciliationStore {
  /** Stores a run; `scheduledFor`, the Seoul day of a daily run, is taken once: null when that day was stored already. */
  abstract insert(run: Omit<Reconciliation, 'id' | 'createdAt'>, scheduledFor: string | null): Promise<Reconciliation | null>;
  abstract find(id: number): Promise<Reconciliation | null>;
  abstract isScheduledDone(day: string): Promise<boolean>;
  /** Charges an earlier run already had cancelled at the gateway (CHARGE_WITHOUT_PAYMENT, CANCELLED), among these keys. */
  abstract chargesCancelledBefore(paymentKeys: string[]): Promise<Set<string>>;
}
