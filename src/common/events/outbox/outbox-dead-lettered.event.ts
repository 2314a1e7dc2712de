import type { ClaimedEvent } from './outbox.repository';

/**
 * In-process, after the relay parked a row as DEAD: an operator must act (the alerting work
 * listens for it). Emitted fire-and-forget: a failing listener is logged and changes nothing
 * about the row, which is already DEAD in Postgres, the record of it.
 */
export class OutboxDeadLetteredEvent {
  static readonly NAME = 'outbox.dead-lettered';
  readonly outboxId: number;
  /** The dead row's event, shared by the other consumers' rows of it. */
  readonly eventId: string;
  readonly eventType: string;
  readonly consumer: string;
  readonly aggregateId: number;
  readonly lastError: string;
  readonly occurredAt = new Date();

  constructor(row: ClaimedEvent, lastError: string) {
    this.outboxId = row.id;
    this.eventId = row.eventId;
    this.eventType = row.eventType;
    this.consumer = row.consumer;
    this.aggregateId = row.aggregateId;
    this.lastError = lastError;
  }
}
