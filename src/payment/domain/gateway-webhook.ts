/** A webhook of the gateway, as far as the shop reads it: which payment it is about. The rest is re-read from the gateway. */
export type GatewayWebhook =
  | { kind: 'PAYMENT_STATUS_CHANGED'; paymentKey: string | null; gatewayOrderId: string | null; status: string | null }
  | { kind: 'DEPOSIT_CALLBACK'; gatewayOrderId: string; secret: string | null; status: string | null; transactionKey: string | null };

export type WebhookReading = { ok: true; webhook: GatewayWebhook } | { ok: false; reason: string };

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 && value.length <= 300 ? value : null);

/**
 * Toss's two webhook bodies (API.md "Webhooks from the gateway"): `{ eventType:
 * "PAYMENT_STATUS_CHANGED", createdAt, data: Payment }` and the virtual-account deposit callback
 * `{ createdAt, secret, status, transactionKey, orderId }`, which has no eventType. Anything that
 * names no payment to go by is refused.
 */
export function readWebhook(body: unknown): WebhookReading {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'the body must be a JSON object' };
  const fields = body as Record<string, unknown>;
  if (fields.eventType === undefined) {
    const gatewayOrderId = text(fields.orderId);
    if (!gatewayOrderId) return { ok: false, reason: 'a deposit callback needs its orderId' };
    return { ok: true, webhook: { kind: 'DEPOSIT_CALLBACK', gatewayOrderId, secret: text(fields.secret), status: text(fields.status), transactionKey: text(fields.transactionKey) } };
  }
  if (fields.eventType !== 'PAYMENT_STATUS_CHANGED') return { ok: false, reason: `eventType ${String(fields.eventType)} is not one the shop takes` };
  const data = fields.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'PAYMENT_STATUS_CHANGED needs data, a Payment object' };
  const payment = data as Record<string, unknown>;
  const paymentKey = text(payment.paymentKey);
  const gatewayOrderId = text(payment.orderId);
  if (!paymentKey && !gatewayOrderId) return { ok: false, reason: 'the payment names neither a paymentKey nor an orderId' };
  return { ok: true, webhook: { kind: 'PAYMENT_STATUS_CHANGED', paymentKey, gatewayOrderId, status: text(payment.status) } };
}
