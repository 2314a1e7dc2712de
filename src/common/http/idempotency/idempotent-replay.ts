import { DomainError } from '../../errors/domain-error';

/**
 * The stored first response of a repeated request. Thrown rather than returned, because a
 * returned value would go out with the route's success status, and a replay may be a 402 or 409.
 * AllExceptionsFilter renders it as stored, with `Idempotent-Replayed: true`. A domain error, so
 * that a use case that meets it in its transaction logs and counts it as what it is.
 */
export class IdempotentReplay extends DomainError {
  readonly code = 'IDEMPOTENT_REPLAY';

  constructor(
    readonly status: number,
    /** The JSON body as first sent; null when there was none. */
    readonly body: unknown,
  ) {
    super(`idempotent replay of a ${status} response`);
  }
}
