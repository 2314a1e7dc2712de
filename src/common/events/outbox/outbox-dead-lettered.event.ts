import { InProcessEvent } from '../in-process-event';

/**
 * In-transaction, with the row's DEAD status: an after-commit event failed for good and waits
 * for an operator. A module that owes its consumer's failure a business state (a cancellation
 * ending CANCEL_FAILED) or an alert records it here, so it exists if and only if the row is DEAD.
 */
export class OutboxDeadLetteredEvent extends InProcessEvent {
  static readonly NAME = 'outbox.dead-lettered';

  constructor(
    readonly outboxId: number,
    readonly outboxEventId: string,
    readonly eventType: string,
    readonly consumer: string,
    readonly aggregateId: number,
    readonly payload: Record<string, unknown>,
    readonly lastError: string,
  ) {
    super();
  }
}
