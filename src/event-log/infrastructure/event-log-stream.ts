import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { CommonSettings } from '../../common/config/common.settings';
import type { EventLogSettings } from '../event-log.settings';

type StreamSettings = Pick<EventLogSettings, 'EVENT_LOG_STREAM'> & Pick<CommonSettings, 'OUTBOX_LEASE_MS' | 'OUTBOX_BACKOFF_MAX_MS'>;

export const EVENT_LOG_SUBJECTS = 'shop.orders.>';
const MIN_DUPLICATE_WINDOW_MS = 2 * 60_000;

/**
 * The stream's duplicate window must cover every re-publication of an event the stream may
 * already hold: after a relay died between the ack and marking the row (the lease), and after
 * an ack that was lost (the next backoff step, at most OUTBOX_BACKOFF_MAX_MS).
 */
export function duplicateWindowMs(config: Pick<CommonSettings, 'OUTBOX_LEASE_MS' | 'OUTBOX_BACKOFF_MAX_MS'>): number {
  return Math.max(MIN_DUPLICATE_WINDOW_MS, config.OUTBOX_LEASE_MS + config.OUTBOX_BACKOFF_MAX_MS);
}

/** File storage, kept until the operator sets limits: other services replay it from the start. */
export function eventLogStream(config: StreamSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: config.EVENT_LOG_STREAM,
    subjects: [EVENT_LOG_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
    duplicate_window: nanos(duplicateWindowMs(config)),
  };
}
