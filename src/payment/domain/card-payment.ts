/** The gateway's order id for order N (API.md): one per order, whatever the attempt. */
export function gatewayOrderId(orderId: number): string {
  return `order-${orderId}`;
}

/** Gateway statuses of a payment whose money is (still, at least partly) taken. */
const CHARGED = new Set(['DONE', 'PARTIAL_CANCELED']);
/** Gateway statuses of a payment that will never be charged. */
const NEVER_CHARGED = new Set(['ABORTED', 'EXPIRED']);

export type GatewayVerdict = 'CHARGED' | 'NOT_CHARGED' | 'UNKNOWN';

/**
 * What a lookup of the gateway says about one attempt (its paymentKey): charged, never going to
 * be, or not decided. A payment of the same order under another paymentKey is another attempt.
 */
export function verdictOf(lookup: { found: false } | { found: true; paymentKey: string; status: string }, paymentKey: string): GatewayVerdict {
  if (!lookup.found) return 'NOT_CHARGED';
  if (lookup.paymentKey !== paymentKey) return 'NOT_CHARGED';
  if (CHARGED.has(lookup.status)) return 'CHARGED';
  if (NEVER_CHARGED.has(lookup.status) || lookup.status === 'CANCELED') return 'NOT_CHARGED';
  return 'UNKNOWN';
}
