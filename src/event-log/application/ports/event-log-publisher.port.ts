import type { EventLogMessage } from '../../domain/event-log-message';

/** The event log stream that other services read the shop's events from (API.md, "Event log"). */
export abstract class EventLogPublisher {
  /**
   * Resolves once the stream acknowledged the message: only then may the outbox row be marked.
   * A repeat of an event id within the stream's duplicate window is dropped, so redeliveries are
   * harmless. Throws (the outbox retries) while the stream cannot be reached.
   */
  abstract publish(message: EventLogMessage): Promise<void>;
}
