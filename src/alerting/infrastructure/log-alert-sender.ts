import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { AlertRaisedEvent } from '../application/events/alert-raised.event';
import type { AlertSender } from '../application/ports/alert-sender.port';

/** Without ALERT_WEBHOOK_URL: the alert is one error-level log line, where log-based alerting finds it. */
@Injectable()
export class LogAlertSender implements AlertSender {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(LogAlertSender.name);
  }

  async send(alert: AlertRaisedEvent): Promise<void> {
    this.logger.error({ ...alert }, `ALERT ${alert.alert}: ${alert.message}`);
  }
}
