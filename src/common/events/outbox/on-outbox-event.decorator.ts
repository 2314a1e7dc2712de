import { SetMetadata } from '@nestjs/common';

export const OUTBOX_CONSUMER = 'outbox:consumer';

export interface OutboxSubscription {
  eventType: string;
  consumer: string;
}

/**
 * Marks an after-commit consumer. Each consumer gets its own outbox row per event, so it is
 * retried, backed off and dead-lettered on its own; the name is stored with the row, so keep
 * it stable. Delivery is at least once: the handler must tolerate a repeat of the same eventId.
 */
export const OnOutboxEvent = (eventType: string, consumer: string) =>
  SetMetadata<string, OutboxSubscription>(OUTBOX_CONSUMER, { eventType, consumer });
