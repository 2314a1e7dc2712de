import { Inject, Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { AlertRaisedEvent } from '../events/alert-raised.event';
import { ALERT_SENDER } from '../ports/alert-sender.port';
import type { AlertSender } from '../ports/alert-sender.port';

export const ALERT_DELIVERY_CONSUMER = 'alert-delivery';

/** After commit: each alert reaches the operators' channel, at least once, retried with backoff. */
@Injectable()
export class SendAlertOnAlertRaised {
  constructor(@Inject(ALERT_SENDER) private readonly sender: AlertSender) {}

  @OnOutboxEvent(AlertRaisedEvent, ALERT_DELIVERY_CONSUMER)
  onAlert(alert: AlertRaisedEvent): Promise<void> {
    return this.sender.send(alert);
  }
}
