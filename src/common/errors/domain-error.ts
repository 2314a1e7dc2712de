/**
 * Base of every business error. Each error declares its contract code and HTTP status where it
 * is defined (`class OrderNotFoundError extends errorOf('ORDER_NOT_FOUND', 404)`), so the module
 * that owns an error owns its status too; the exception filter only reads them.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** True when the same request may succeed if simply sent again (another payment of the order was running). */
  readonly retryable: boolean = false;
  /** Fields the error body adds to statusCode, code and message (CARD_DECLINED's pgCode). */
  readonly extra?: Readonly<Record<string, string | number>>;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** What the OpenAPI decorator reads off an error class without constructing it. */
export interface ErrorClass {
  readonly code: string;
  readonly status: number;
  /** The fields its body adds to statusCode, code and message (see `extra`), each with what it says. */
  readonly extraFields?: Readonly<Record<string, string>>;
}

/** The base class of an error with a fixed code and status, readable from the class and its instances. */
export function errorOf<const C extends string>(code: C, status: number, options: { retryable?: boolean } = {}) {
  abstract class CodedError extends DomainError {
    static readonly code: C = code;
    static readonly status: number = status;
    readonly code: C = code;
    readonly status: number = status;
    override readonly retryable: boolean = options.retryable ?? false;
  }
  return CodedError;
}

/** API.md: a refusal comes "with a short body", however many violations a request holds. */
const MAX_LISTED = 20;
const MAX_LINE = 200;

export class ValidationFailedError extends errorOf('VALIDATION_FAILED', 400) {
  readonly errors: string[];

  constructor(message: string, errors: string[] = []) {
    super(message);
    const lines = errors.map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line));
    this.errors = lines.length > MAX_LISTED ? [...lines.slice(0, MAX_LISTED - 1), `and ${lines.length - MAX_LISTED + 1} more`] : lines;
  }
}
