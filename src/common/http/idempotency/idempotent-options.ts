/** Metadata key of what @Idempotent() was told about its route. */
export const IDEMPOTENT_OPTIONS = 'idempotent:options';

export interface IdempotentOptions {
  /** The status a successful answer is sent (and replayed) with, when it depends on the answer (201 or 202). */
  statusOf?: (answer: never) => number;
}
