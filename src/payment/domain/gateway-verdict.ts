import type { ConfirmAnswer, LookupAnswer } from './gateway-answers';

/**
 * What the gateway's word about one attempt means for the shop:
 * - CHARGED: the attempt's money is taken (the order may be paid with it);
 * - NOT_CHARGED: nothing stands and nothing will (`watch`: the outcome was unknown for a while,
 *   so the attempt stays watched for a late approval; `declined`: the gateway refused it, with
 *   its code and message for the client);
 * - UNDECIDED: nobody knows yet; ask again later;
 * - LOOK_UP: a confirm whose outcome is unknown: only a lookup can tell.
 */
export type Verdict =
  | { kind: 'CHARGED'; approvalNumber: string | null }
  | { kind: 'NOT_CHARGED'; failureCode: string; watch: boolean; declined?: { message: string } }
  | { kind: 'UNDECIDED' }
  | { kind: 'LOOK_UP' };

/** Gateway statuses of a payment whose money is (still, at least partly) taken. */
const CHARGED = new Set(['DONE', 'PARTIAL_CANCELED']);
/** Gateway statuses of a payment that will never be charged, or whose charge was given back whole. */
const NOT_CHARGED = new Set(['ABORTED', 'EXPIRED', 'CANCELED']);

/** The confirm's answer, as the request that sent it reads it. */
export function verdictOfConfirm(answer: ConfirmAnswer): Verdict {
  switch (answer.kind) {
    case 'APPROVED':
      return { kind: 'CHARGED', approvalNumber: answer.payment.approvalNumber };
    case 'DECLINED':
      return { kind: 'NOT_CHARGED', failureCode: answer.code, watch: false, declined: { message: answer.message } };
    case 'UNREACHABLE':
      return { kind: 'NOT_CHARGED', failureCode: 'GATEWAY_UNREACHABLE', watch: false };
    case 'UNKNOWN':
      return { kind: 'LOOK_UP' };
  }
}

/**
 * A lookup's answer about the attempt with `paymentKey`. A payment of the same order under
 * another paymentKey is another attempt: it says nothing about this one's charge.
 */
export function verdictOfLookup(answer: LookupAnswer, paymentKey: string): Verdict {
  if (answer.kind === 'UNKNOWN') return { kind: 'UNDECIDED' };
  if (answer.kind === 'NOT_FOUND') return { kind: 'NOT_CHARGED', failureCode: 'NOT_FOUND_PAYMENT', watch: true };
  const { payment } = answer;
  if (payment.paymentKey !== paymentKey) return { kind: 'NOT_CHARGED', failureCode: 'NOT_FOUND_PAYMENT', watch: true };
  if (CHARGED.has(payment.status)) return { kind: 'CHARGED', approvalNumber: payment.approvalNumber };
  if (NOT_CHARGED.has(payment.status)) return { kind: 'NOT_CHARGED', failureCode: payment.status, watch: true };
  return { kind: 'UNDECIDED' };
}
