/**
 * What every server session of this service runs with. The timeouts keep an outage or a stuck
 * lock from hanging a request: statements give up after 5 s, lock waits after 3 s, so a client
 * gets a 503 well within 5 s, and a transaction left idle (its process hung) ends after 15 s.
 * With the connection check, a backend whose client died (a killed process) notices within a
 * second even while it waits on a lock, and rolls back, freeing what it held (row locks, an
 * Idempotency-Key claim).
 */
export const SESSION_SETTINGS = {
  statement_timeout: 5_000,
  lock_timeout: 3_000,
  idle_in_transaction_session_timeout: 15_000,
  client_connection_check_interval: 1_000,
} as const;

const settings = Object.entries(SESSION_SETTINGS);

/** The `options` startup parameter that sets them for a connection's whole session. */
export const SESSION_OPTIONS = settings.map(([name, value]) => `-c ${name}=${value}`).join(' ');

/** One statement that sets them for the current transaction only, as SET LOCAL does. */
export const SET_FOR_TRANSACTION = `SELECT ${settings.map(([name, value]) => `set_config('${name}', '${value}', true)`).join(', ')}`;
