import type { ConfirmAnswer, GatewayPayment, GatewayVirtualAccount, LookupAnswer } from './gateway-answers';

/** What the shop asked the gateway to charge, which every answer about the charge must repeat. */
export interface AskedCharge {
  paymentKey: string;
  gatewayOrderId: string;
  amount: number;
}

/** A field of an answer that is not what was asked. */
export interface Mismatch {
  field: 'paymentKey' | 'orderId' | 'totalAmount' | 'currency';
  asked: string | number;
  answered: string | number | null;
}

/**
 * What the gateway's word about one attempt means for the shop:
 * - CHARGED: the attempt's money is taken (the order may be paid with it);
 * - MISMATCH: the gateway says it charged something, but not what the shop asked: a charge that
 *   must not stand;
 * - NOT_CHARGED: nothing stands and nothing will (`watch`: the outcome was unknown for a while,
 *   so the attempt stays watched for a late approval; `declined`: the gateway refused it, with
 *   its message for the client);
 * - ISSUED: a virtual account was issued for the charge; the money comes with its deposit;
 * - UNDECIDED: nobody knows yet; ask again later;
 * - LOOK_UP: a confirm whose outcome is unknown: only a lookup can tell.
 */
export type Verdict =
  | { kind: 'CHARGED'; payment: GatewayPayment }
  | { kind: 'MISMATCH'; payment: GatewayPayment; mismatch: Mismatch }
  | { kind: 'ISSUED'; payment: GatewayPayment & { virtualAccount: GatewayVirtualAccount } }
  | { kind: 'NOT_CHARGED'; failureCode: string; watch: boolean; declined?: { message: string } }
  | { kind: 'UNDECIDED' }
  | { kind: 'LOOK_UP' };

/** Gateway statuses of a payment whose money is (still, at least partly) taken. */
const CHARGED = new Set(['DONE', 'PARTIAL_CANCELED']);
/** Gateway statuses of a payment that will never be charged, or whose charge was given back whole. */
const NOT_CHARGED = new Set(['ABORTED', 'EXPIRED', 'CANCELED']);

/** The first field of the answer that is not what was asked, or null. Currency is always won. */
export function mismatchOf(payment: GatewayPayment, asked: AskedCharge): Mismatch | null {
  if (payment.paymentKey !== asked.paymentKey) return { field: 'paymentKey', asked: asked.paymentKey, answered: payment.paymentKey };
  if (payment.orderId !== asked.gatewayOrderId) return { field: 'orderId', asked: asked.gatewayOrderId, answered: payment.orderId };
  if (payment.totalAmount !== asked.amount) return { field: 'totalAmount', asked: asked.amount, answered: Number.isFinite(payment.totalAmount) ? payment.totalAmount : null };
  if (payment.currency !== 'KRW') return { field: 'currency', asked: 'KRW', answered: payment.currency };
  return null;
}

const WAITING_FOR_DEPOSIT = 'WAITING_FOR_DEPOSIT';

/** A payment that says it is charged (or that its account is issued), checked against what was asked. */
function charged(payment: GatewayPayment, asked: AskedCharge): Verdict {
  const mismatch = mismatchOf(payment, asked);
  if (mismatch) return { kind: 'MISMATCH', payment, mismatch };
  if (payment.status !== WAITING_FOR_DEPOSIT) return { kind: 'CHARGED', payment };
  // An account the answer does not describe cannot be shown to the customer: only a lookup can tell.
  return payment.virtualAccount ? { kind: 'ISSUED', payment: { ...payment, virtualAccount: payment.virtualAccount } } : { kind: 'UNDECIDED' };
}

/** The confirm's answer, as the request that sent it reads it. */
export function verdictOfConfirm(answer: ConfirmAnswer, asked: AskedCharge): Verdict {
  switch (answer.kind) {
    case 'APPROVED':
      return charged(answer.payment, asked);
    case 'DECLINED':
      return { kind: 'NOT_CHARGED', failureCode: answer.code, watch: false, declined: { message: answer.message } };
    case 'UNREACHABLE':
      return { kind: 'NOT_CHARGED', failureCode: 'GATEWAY_UNREACHABLE', watch: false };
    case 'UNKNOWN':
      return { kind: 'LOOK_UP' };
  }
}

/** A lookup by the attempt's own paymentKey: each attempt is judged by its own charge. */
export function verdictOfLookup(answer: LookupAnswer, asked: AskedCharge): Verdict {
  if (answer.kind === 'UNKNOWN') return { kind: 'UNDECIDED' };
  if (answer.kind === 'NOT_FOUND') return { kind: 'NOT_CHARGED', failureCode: 'NOT_FOUND_PAYMENT', watch: true };
  const { payment } = answer;
  if (CHARGED.has(payment.status) || payment.status === WAITING_FOR_DEPOSIT) return charged(payment, asked);
  if (NOT_CHARGED.has(payment.status)) return { kind: 'NOT_CHARGED', failureCode: payment.status, watch: true };
  return { kind: 'UNDECIDED' };
}
