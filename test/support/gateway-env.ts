/**
 * The environment of an app that pays through the gateway simulator at `pgUrl`: reconciliation
 * passes are run by the tests themselves, at the moments they choose, and the outbox retries fast
 * and gives up after three attempts, so a cancellation that keeps failing reaches CANCEL_FAILED
 * within a test's time.
 */
export function gatewayEnv(pgUrl: string, secretKey: string, timeoutMs: number, alertWebhookUrl: string): Record<string, string> {
  return {
    ORDER_SWEEP_INTERVAL_MS: '0',
    PG_BASE_URL: pgUrl,
    PG_SECRET_KEY: secretKey,
    PG_TIMEOUT_MS: String(timeoutMs),
    PG_RECONCILE_INTERVAL_MS: '0',
    ALERT_WEBHOOK_URL: alertWebhookUrl,
    OUTBOX_POLL_INTERVAL_MS: '50',
    OUTBOX_BACKOFF_BASE_MS: '20',
    OUTBOX_BACKOFF_MAX_MS: '50',
    OUTBOX_MAX_ATTEMPTS: '3',
  };
}
