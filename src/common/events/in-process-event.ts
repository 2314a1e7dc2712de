import { randomUUID } from 'node:crypto';

/** What every in-process event carries (DESIGN.md "Events"): an id of its own and when it happened. */
export abstract class InProcessEvent {
  readonly eventId = randomUUID();
  readonly occurredAt = new Date();
}
