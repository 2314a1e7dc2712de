export type AlertSeverity = 'critical' | 'warning';

export interface AlertFacts {
  /** What happened, e.g. PG_CANCEL_FAILED or OUTBOX_DEAD_LETTER. */
  alert: string;
  severity: AlertSeverity;
  /** One sentence an operator can act on. */
  message: string;
  orderId?: number | null;
  paymentId?: number | null;
  refundId?: number | null;
}

/**
 * After commit: a condition an operator must act on. Written to the outbox by the module that
 * found it, in the transaction that recorded the condition, so an alert exists if and only if
 * its cause committed; delivery is retried like an export.
 */
export class AlertRaisedEvent {
  static readonly NAME = 'alert.raised';
  declare readonly eventId: string;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly orderId: number | null;
  readonly paymentId: number | null;
  readonly refundId: number | null;
  readonly occurredAt: string;

  constructor(facts: AlertFacts, occurredAt = new Date()) {
    this.alert = facts.alert;
    this.severity = facts.severity;
    this.message = facts.message;
    this.orderId = facts.orderId ?? null;
    this.paymentId = facts.paymentId ?? null;
    this.refundId = facts.refundId ?? null;
    this.occurredAt = occurredAt.toISOString();
  }
}
