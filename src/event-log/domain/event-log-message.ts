/** The version of the message bodies and headers that the AsyncAPI document describes. */
export const SCHEMA_VERSION = 1;

/**
 * Where each event type goes: `shop.orders.<orderId>.<kind>`. The contract names all five
 * (API.md, "Event log"); an event type is published once its consumer subscribes to it.
 */
export const SUBJECT_KINDS = {
  ORDER_PAID: 'paid',
  ORDER_CANCELLED: 'cancelled',
  ORDER_EXPIRED: 'expired',
  ORDER_REFUNDED: 'refunded',
  PAYMENT_FAILED: 'payment_failed',
} as const;

export type EventLogEventType = keyof typeof SUBJECT_KINDS;

/** What every published event carries, whatever else its type adds. */
export interface LoggableEvent {
  eventId: string;
  eventType: string;
  orderId: number;
}

export interface EventLogMessage {
  subject: string;
  /** The message id the stream deduplicates by. */
  eventId: string;
  eventType: EventLogEventType;
  body: Record<string, unknown>;
}

/** The message for one event: its subject, and as body the data platform's JSON with the schema version. */
export function eventLogMessage(event: LoggableEvent): EventLogMessage {
  if (!isEventLogEventType(event.eventType)) throw new Error(`event type ${event.eventType} has no subject on the event log`);
  // The id becomes a subject token: anything but a positive integer could add tokens or wildcards.
  if (!Number.isSafeInteger(event.orderId) || event.orderId < 1) throw new Error(`order id ${event.orderId} cannot name an event log subject`);
  return {
    subject: `shop.orders.${event.orderId}.${SUBJECT_KINDS[event.eventType]}`,
    eventId: event.eventId,
    eventType: event.eventType,
    body: { ...event, schemaVersion: SCHEMA_VERSION },
  };
}

function isEventLogEventType(type: string): type is EventLogEventType {
  return Object.hasOwn(SUBJECT_KINDS, type);
}
