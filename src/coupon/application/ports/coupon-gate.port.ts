export type GateVerdict = 'ADMITTED' | 'MISSING' | 'ALREADY_ISSUED' | 'SOLD_OUT' | 'EXPIRED';

/** What the gate of one campaign is built from: Postgres's view of it. */
export interface GateState {
  remaining: number;
  expiresAt: Date | null;
  holders: number[];
}

/**
 * The fast gate in front of coupon issuance, first come, first served. It only saves Postgres
 * the crowd: every admission is confirmed by a guarded write there, and the gate is rebuilt
 * from Postgres when it is missing (flush, restart) and reconciled at start-up.
 */
export abstract class CouponGate {
  /**
   * In one atomic step: has this user one already, is any left, then take one and remember the
   * user. MISSING when the gate must be filled first.
   */
  abstract tryIssue(couponId: number, userId: number, now: Date): Promise<GateVerdict>;
  /** Gives back one admission whose Postgres write failed, unless the gate was rebuilt meanwhile. */
  abstract undoIssue(couponId: number, userId: number): Promise<void>;
  /** Fills a missing gate; a concurrent rebuild or a gate that already exists is never overwritten. */
  abstract fillIfMissing(couponId: number, state: GateState): Promise<void>;
  /** Replaces the gate with Postgres's view in one step (start-up reconciliation). */
  abstract overwrite(couponId: number, state: GateState): Promise<void>;
}
