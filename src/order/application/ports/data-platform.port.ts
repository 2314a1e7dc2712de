import type { OrderSnapshotEvent } from '../events/order-snapshot.event';

/** The data platform that paid, cancelled, expired and refunded orders are exported to (API.md "Data platform export"). */
export abstract class DataPlatform {
  /** Throws unless the platform took the event: the outbox retries it. */
  abstract send(event: OrderSnapshotEvent): Promise<void>;
}
