import { HttpException } from '@nestjs/common';
import { DomainError, ValidationFailedError } from '../errors/domain-error';
import { isInfrastructureUnavailable } from '../errors/infrastructure-unavailable';
import { RefusedJsonError } from './json-body';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: string[];
  [extra: string]: unknown;
}

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

const INTERNAL: ErrorBody = { statusCode: 500, code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR' };
const UNAVAILABLE: ErrorBody = {
  statusCode: 503,
  code: 'SERVICE_UNAVAILABLE',
  message: 'A backing service is unavailable; retry shortly',
};

/**
 * Turns anything thrown into the contract's error body. Only messages we wrote ourselves reach
 * the client: framework 4xx messages are replaced by fixed text, and every 5xx says no more
 * than its code.
 */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    const statusCode = exception.status;
    // A gateway's 502 or 503 of our own (PAYMENT_GATEWAY_ERROR, PAYMENT_GATEWAY_UNAVAILABLE) says which service; any other 5xx says no more than its code.
    const ownGatewayAnswer = (statusCode === 502 || statusCode === 503) && exception.code !== UNAVAILABLE.code;
    if (statusCode >= 500 && !ownGatewayAnswer) return statusCode === 503 ? UNAVAILABLE : INTERNAL;
    const body: ErrorBody = { ...exception.extra, statusCode, code: exception.code, message: exception.message };
    if (exception instanceof ValidationFailedError && exception.errors.length > 0) body.errors = exception.errors;
    return body;
  }
  if (exception instanceof RefusedJsonError) return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'Validation failed', errors: [exception.message] };
  const status = clientErrorStatus(exception);
  if (status !== undefined) {
    const code = CODE_BY_STATUS[status] ?? (status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED');
    return { statusCode: status, code, message: clientMessage(status, exception) };
  }
  if (exception instanceof HttpException && exception.getStatus() === 503) return UNAVAILABLE;
  if (isInfrastructureUnavailable(exception)) return UNAVAILABLE;
  return INTERNAL;
}

/** 4xx raised by Nest itself (router, guards) or by body-parser before Nest saw the request. */
function clientErrorStatus(exception: unknown): number | undefined {
  let status: unknown;
  if (exception instanceof HttpException) status = exception.getStatus();
  else if (exception && typeof exception === 'object' && (exception as { expose?: unknown }).expose === true) {
    status = (exception as { status?: unknown }).status;
  }
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function clientMessage(status: number, exception: unknown): string {
  switch (status) {
    case 400:
      // Our own validation errors are DomainErrors; a bare 400 is Nest's mapping of body-parser's
      // SyntaxError (bad JSON) or Express's URIError (bad %-encoding), whose text we don't echo.
      return 'Malformed request: invalid JSON body or URL encoding';
    case 401:
      return 'Missing or invalid bearer token';
    case 403:
      return 'This route needs the admin role';
    case 404:
      return 'No such route';
    case 413:
      return 'Request body exceeds 100 kB';
    case 415:
      return 'Bodies are JSON in UTF-8, sent as is or with Content-Encoding gzip, deflate, br or zstd';
    case 429:
      return 'Too many requests; retry later';
    default:
      return exception instanceof HttpException ? exception.message : 'Bad request';
  }
}
