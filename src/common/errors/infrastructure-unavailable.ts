/**
 * Recognises errors that mean "Postgres or Redis is unreachable or overloaded right now" so
 * they answer 503 (retry later) instead of 500. Codes: SQLSTATE classes 08 (connection), 53
 * (resources), 57P (shutdown), lock/statement timeouts; node socket errors; ioredis messages.
 */
const PG_TRANSIENT = /^(08|53|57P0)|^(55P03|57014|40001|40P01)$/;
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Reached the max retries per request limit',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'Query read timeout',
];
/** TypeORM's two wordings for "the connection under this transaction died". */
const RELEASED_RUNNER = /query runner (was )?already released/i;

export function isInfrastructureUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (PG_TRANSIENT.test(code) || NET_CODES.has(code))) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && (MESSAGES.some((m) => message.includes(m)) || RELEASED_RUNNER.test(message))) return true;
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
