import { Module } from '@nestjs/common';
import { RaiseDeadLetterAlertOnOutboxDeadLettering } from './application/listeners/raise-dead-letter-alert.on-outbox-dead-lettering.in-transaction.listener';
import { SendAlertOnAlertRaised } from './application/listeners/send-alert.on-alert-raised.after-commit.listener';
import { ALERT_SENDER } from './application/ports/alert-sender.port';
import { LogAlertSender } from './infrastructure/log-alert-sender';
import { WebhookAlertSender } from './infrastructure/webhook-alert-sender';
import { AlertingSettings } from './alerting.settings';

/** Alerts an operator must act on: raised by any module as an outbox event, sent to a webhook or the log. */
@Module({
  providers: [
    LogAlertSender,
    WebhookAlertSender,
    {
      provide: ALERT_SENDER,
      inject: [AlertingSettings, WebhookAlertSender, LogAlertSender],
      useFactory: (config: AlertingSettings, webhook: WebhookAlertSender, log: LogAlertSender) => (config.ALERT_WEBHOOK_URL ? webhook : log),
    },
    SendAlertOnAlertRaised,
    RaiseDeadLetterAlertOnOutboxDeadLettering,
  ],
})
export class AlertingModule {}
