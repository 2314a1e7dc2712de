import type { AlertRaisedEvent } from '../events/alert-raised.event';

/** Where alerts go: a chat webhook, or the error log when none is configured. Throws when not delivered. */
export interface AlertSender {
  send(alert: AlertRaisedEvent): Promise<void>;
}

export const ALERT_SENDER = Symbol('ALERT_SENDER');
