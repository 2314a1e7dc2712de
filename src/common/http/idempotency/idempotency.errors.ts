import { errorOf, ValidationFailedError } from '../../errors/domain-error';

export class InvalidIdempotencyKeyError extends ValidationFailedError {
  constructor() {
    super('Idempotency-Key must be 1 to 255 printable ASCII characters');
  }
}

export class IdempotencyKeyMismatchError extends errorOf('IDEMPOTENCY_KEY_MISMATCH', 422) {
  constructor() {
    super('This Idempotency-Key was used for a different request; send a new key');
  }
}

export class IdempotencyKeyInUseError extends errorOf('IDEMPOTENCY_KEY_IN_USE', 409, { retryable: true }) {
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly');
  }
}
