/**
 * A consumer could not tell whether its delivery took effect (the target did not answer, and
 * asking it afterwards did not either). Retried with the capped backoff for as long as it takes,
 * never dead-lettered for it: dead-lettering declares a failure nobody has seen happen.
 */
export class DeliveryOutcomeUnknownError extends Error {}

/**
 * The target refused the event for good: retrying cannot change that (a payload it will never
 * take). Dead-lettered at once, whatever the consumer's retry options, with the alert its owner
 * names (a consumer ordered by aggregate then holds that aggregate's later events behind it,
 * until an operator fixes the cause and replays it).
 */
export class UndeliverableEventError extends Error {
  constructor(
    message: string,
    /** The alert raised for it, e.g. EVENT_LOG_PARKED. */
    readonly alert: string,
  ) {
    super(message);
  }
}
