import { SetMetadata } from '@nestjs/common';

export const OUTBOX_CONSUMER = 'outbox:consumer';

/** An after-commit event's payload class; its static NAME is the outbox's event type. */
export interface OutboxEventClass {
  readonly NAME: string;
}

/** How the relay hands a consumer its rows; a consumer declares the same on every subscription. */
export interface OutboxDeliveryOptions {
  /**
   * A row is handed over only once every earlier row of the same aggregate for this consumer
   * was delivered, so the consumer sees each aggregate's events in commit order, also with
   * several relaying instances. A failing row holds back the later rows of its aggregate.
   */
  orderedByAggregate?: boolean;
  /**
   * Retried with the capped backoff for as long as it takes instead of being parked as DEAD
   * after OUTBOX_MAX_ATTEMPTS: for a consumer whose target is expected back (and for which
   * skipping an event would break the order of the others).
   */
  neverDeadLetter?: boolean;
}

export interface OutboxSubscriptionOptions extends OutboxDeliveryOptions {
  /**
   * Days to keep this consumer's DELIVERED rows when it reads them back later (the sales
   * a consumer that rebuilds its state from them); never less than OUTBOX_RETENTION_DAYS.
   */
  retentionDays?: number;
}

export interface OutboxSubscription extends OutboxSubscriptionOptions {
  eventType: string;
  consumer: string;
}

/**
 * Marks an after-commit consumer. Each consumer gets its own outbox row per event, so it is
 * retried, backed off and dead-lettered on its own; the name is stored with the row, so keep
 * it stable. Delivery is at least once: the handler must tolerate a repeat of the same eventId.
 */
export const OnOutboxEvent = (event: OutboxEventClass, consumer: string, options: OutboxSubscriptionOptions = {}) =>
  SetMetadata<string, OutboxSubscription>(OUTBOX_CONSUMER, { eventType: event.NAME, consumer, ...options });
