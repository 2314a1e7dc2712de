/** The four ways the shop's books and the gateway's transaction list can disagree (API.md "Reconciliation"). */
export type MismatchKind = 'CHARGE_WITHOUT_PAYMENT' | 'CANCEL_WITHOUT_REFUND' | 'PAYMENT_WITHOUT_CHARGE' | 'AMOUNT_MISMATCH';
export type MismatchAction = 'CANCELLED' | 'RECORDED' | 'ALERTED';

/** One line of the gateway's list: an approval (DONE) or a cancel (CANCELED / PARTIAL_CANCELED), with its own amount. */
export interface GatewayLine {
  transactionKey: string;
  paymentKey: string;
  status: string;
  transactionAt: Date;
  amount: number;
}

/** A gateway attempt of the shop, as its books hold it. */
export interface ShopCharge {
  paymentId: number;
  orderId: number;
  paymentKey: string;
  amount: number;
  /** COMPLETED: it paid its order. */
  status: string;
  /** The shop asked the gateway to cancel it (a late approval, a mismatch), or a reconciliation did. */
  beingCancelled: boolean;
  /** When the shop recorded the approval (null: never approved for the shop). */
  completedAt: Date | null;
}

/** A cancel the shop made or recorded, by the gateway's transaction key. */
export interface ShopCancel {
  transactionKey: string;
  amount: number;
  /** Null for the cancel of a charge no order of the shop holds (an earlier reconciliation cancelled it). */
  orderId: number | null;
}

export interface Mismatch {
  kind: MismatchKind;
  paymentKey: string;
  transactionKey: string | null;
  orderId: number | null;
  gatewayAmount: number | null;
  shopAmount: number | null;
}

export interface Matching {
  gatewayTransactions: number;
  matched: number;
  matchedAmount: number;
  mismatches: Mismatch[];
}

export interface ReconciliationInput {
  from: Date;
  to: Date;
  /** The gateway's lines of the window and a margin around it: a record near an edge is matched across it. */
  gateway: GatewayLine[];
  /** The shop's attempts carrying a charge named in `gateway`, and its gateway payments completed in the window. */
  charges: ShopCharge[];
  /** The shop's cancels named in `gateway`. */
  cancels: ShopCancel[];
  /** What is still charged of a payment, by its key, for approvals no COMPLETED payment holds (the gateway's balanceAmount). */
  standing: ReadonlyMap<string, number>;
}

const APPROVAL = 'DONE';
const CANCEL = new Set(['CANCELED', 'PARTIAL_CANCELED']);
const inWindow = (at: Date, { from, to }: { from: Date; to: Date }) => at >= from && at < to;

/**
 * Matches every gateway transaction of [from, to) with the shop's records (approvals by
 * paymentKey, cancels by transactionKey, amounts equal), and every gateway payment the shop
 * completed in [from, to) with an approval at the gateway. An approval no COMPLETED payment holds
 * is fine once nothing of it stands or the shop is already cancelling it; a charge still with
 * its attempt PROCESSING, or a deposit into an account still AWAITING_DEPOSIT, is the reconciler's
 * to settle, not a mismatch.
 */
export function reconcile(input: ReconciliationInput): Matching {
  const window = { from: input.from, to: input.to };
  const lines = input.gateway.filter((l) => inWindow(l.transactionAt, window));
  const chargesByKey = new Map<string, ShopCharge[]>();
  for (const c of input.charges) chargesByKey.set(c.paymentKey, [...(chargesByKey.get(c.paymentKey) ?? []), c]);
  const cancelsByKey = new Map(input.cancels.map((c) => [c.transactionKey, c]));
  const matching: Matching = { gatewayTransactions: lines.length, matched: 0, matchedAmount: 0, mismatches: [] };
  const match = (amount: number) => {
    matching.matched++;
    matching.matchedAmount += amount;
  };
  const mismatch = (m: Mismatch) => matching.mismatches.push(m);

  for (const line of lines) {
    const charges = chargesByKey.get(line.paymentKey) ?? [];
    if (line.status === APPROVAL) {
      const paying = charges.find((c) => c.status === 'COMPLETED');
      if (paying) {
        if (paying.amount === line.amount) match(line.amount);
        else mismatch({ kind: 'AMOUNT_MISMATCH', paymentKey: line.paymentKey, transactionKey: line.transactionKey, orderId: paying.orderId, gatewayAmount: line.amount, shopAmount: paying.amount });
      } else if (charges.some((c) => c.status === 'PROCESSING' || c.status === 'AWAITING_DEPOSIT' || c.beingCancelled) || (input.standing.get(line.paymentKey) ?? line.amount) === 0) {
        match(line.amount);
      } else {
        mismatch({ kind: 'CHARGE_WITHOUT_PAYMENT', paymentKey: line.paymentKey, transactionKey: line.transactionKey, orderId: charges[0]?.orderId ?? null, gatewayAmount: line.amount, shopAmount: null });
      }
    } else if (CANCEL.has(line.status)) {
      const known = cancelsByKey.get(line.transactionKey);
      if (!known) {
        mismatch({ kind: 'CANCEL_WITHOUT_REFUND', paymentKey: line.paymentKey, transactionKey: line.transactionKey, orderId: charges[0]?.orderId ?? null, gatewayAmount: line.amount, shopAmount: null });
      } else if (known.amount === line.amount) match(line.amount);
      else mismatch({ kind: 'AMOUNT_MISMATCH', paymentKey: line.paymentKey, transactionKey: line.transactionKey, orderId: known.orderId, gatewayAmount: line.amount, shopAmount: known.amount });
    } else {
      // A line of a kind the shop has no record for (none the Toss API lists today): shown, never silently counted.
      mismatch({ kind: 'AMOUNT_MISMATCH', paymentKey: line.paymentKey, transactionKey: line.transactionKey, orderId: charges[0]?.orderId ?? null, gatewayAmount: line.amount, shopAmount: null });
    }
  }

  const approved = new Set(input.gateway.filter((l) => l.status === APPROVAL).map((l) => l.paymentKey));
  for (const charge of input.charges) {
    if (charge.status !== 'COMPLETED' || !charge.completedAt || !inWindow(charge.completedAt, window) || approved.has(charge.paymentKey)) continue;
    mismatch({ kind: 'PAYMENT_WITHOUT_CHARGE', paymentKey: charge.paymentKey, transactionKey: null, orderId: charge.orderId, gatewayAmount: null, shopAmount: charge.amount });
  }
  return matching;
}

/** The repair of each kind: what is safe to do by itself, and what only an operator can judge. */
export function actionFor(kind: MismatchKind): MismatchAction {
  switch (kind) {
    case 'CHARGE_WITHOUT_PAYMENT':
      return 'CANCELLED';
    case 'CANCEL_WITHOUT_REFUND':
      return 'RECORDED';
    case 'PAYMENT_WITHOUT_CHARGE':
    case 'AMOUNT_MISMATCH':
      return 'ALERTED';
  }
}

/** The previous calendar day in Asia/Seoul (UTC+9, no daylight saving), as [from, to). */
export function previousSeoulDay(now: Date): { from: Date; to: Date; day: string } {
  const seoul = new Date(now.getTime() + 9 * 3_600_000);
  const todayMidnightUtc = Date.UTC(seoul.getUTCFullYear(), seoul.getUTCMonth(), seoul.getUTCDate()) - 9 * 3_600_000;
  const from = new Date(todayMidnightUtc - 86_400_000);
  return { from, to: new Date(todayMidnightUtc), day: new Date(from.getTime() + 9 * 3_600_000).toISOString().slice(0, 10) };
}

/** The hour of the day in Asia/Seoul. */
export function seoulHour(now: Date): number {
  return new Date(now.getTime() + 9 * 3_600_000).getUTCHours();
}
