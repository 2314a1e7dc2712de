import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../common/config/app-config';
import type { AppConfig } from '../common/config/app-config';
import { RaiseDeadLetterAlertListener } from './application/listeners/raise-dead-letter-alert.listener';
import { SendAlertListener } from './application/listeners/send-alert.listener';
import { ALERT_SENDER } from './application/ports/alert-sender.port';
import { LogAlertSender } from './infrastructure/log-alert-sender';
import { WebhookAlertSender } from './infrastructure/webhook-alert-sender';

/** Alerts an operator must act on: raised by any module as an outbox event, sent to a webhook or the log. */
@Module({
  providers: [
    LogAlertSender,
    WebhookAlertSender,
    {
      provide: ALERT_SENDER,
      inject: [APP_CONFIG, WebhookAlertSender, LogAlertSender],
      useFactory: (config: AppConfig, webhook: WebhookAlertSender, log: LogAlertSender) => (config.ALERT_WEBHOOK_URL ? webhook : log),
    },
    SendAlertListener,
    RaiseDeadLetterAlertListener,
  ],
})
export class AlertingModule {}
