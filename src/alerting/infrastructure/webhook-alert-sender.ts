import { Injectable } from '@nestjs/common';
import type { AlertRaisedEvent } from '../application/events/alert-raised.event';
import type { AlertSender } from '../application/ports/alert-sender.port';
import { AlertingSettings } from '../alerting.settings';

/** As long as a data-platform export may take (API.md: alerts are retried like an export). */
const ALERT_TIMEOUT_MS = 5_000;

/**
 * POSTs an alert as JSON to ALERT_WEBHOOK_URL (API.md, "Operations"), with `text` for chat
 * webhooks (Slack- and Mattermost-compatible) and the eventId as Idempotency-Key. A non-2xx
 * answer or a timeout throws, and the outbox retries it like an export.
 */
@Injectable()
export class WebhookAlertSender implements AlertSender {
  constructor(private readonly config: AlertingSettings) {}

  async send(alert: AlertRaisedEvent): Promise<void> {
    const { eventId, ...facts } = alert;
    const text = `[${alert.severity.toUpperCase()}] ${alert.alert}: ${alert.message}`;
    const response = await fetch(this.config.ALERT_WEBHOOK_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': eventId },
      body: JSON.stringify({ ...facts, text }),
      signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`alert webhook answered ${response.status} for ${alert.alert}`);
  }
}
