import { InProcessEvent } from '../in-process-event';
import { SyncEvent } from '../sync-event.decorator';

/**
 * In the transaction that marks an outbox row DEAD: an after-commit event failed for good and
 * waits for an operator. A module that owes its consumer's failure a business state (a
 * cancellation ending CANCEL_FAILED) or an alert records it here, so it exists if and only if
 * the row is DEAD. The outbox is plumbing and cannot name who listens: anyone may answer.
 */
@SyncEvent({ delivery: 'in-transaction', answeredBy: 'anyone' })
export class OutboxDeadLetteringEvent extends InProcessEvent {
  static readonly NAME = 'outbox.dead-lettering';
  constructor(
    readonly outboxId: number,
    readonly outboxEventId: string,
    readonly eventType: string,
    readonly consumer: string,
    readonly aggregateId: number,
    readonly payload: Record<string, unknown>,
    readonly lastError: string,
    /** Refused for good by its target (not out of retries), with the alert its consumer's owner names for that; null otherwise. */
    readonly refusedWithAlert: string | null = null,
  ) {
    super();
  }
}
