/**
 * Base of every business error. Domain code throws these; the HTTP layer alone decides the
 * status code (see error-status.ts), so domain files stay free of transport concerns.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  readonly code = 'VALIDATION_FAILED';

  constructor(
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}
