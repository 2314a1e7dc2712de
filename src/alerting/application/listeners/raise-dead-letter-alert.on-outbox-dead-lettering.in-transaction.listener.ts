import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OutboxDeadLetteringEvent } from '../../../common/events/outbox/outbox-dead-lettering.event';
import { OutboxWriter } from '../../../common/events/outbox/outbox.writer';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { AlertRaisedEvent } from '../events/alert-raised.event';
import { ALERT_DELIVERY_CONSUMER } from './send-alert.on-alert-raised.after-commit.listener';

/**
 * In the dead-lettering transaction: every event that failed for good is an OUTBOX_DEAD_LETTER
 * alert, or, when its target refused it, the alert its consumer's owner named (EVENT_LOG_PARKED).
 */
@Injectable()
export class RaiseDeadLetterAlertOnOutboxDeadLettering {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RaiseDeadLetterAlertOnOutboxDeadLettering.name);
  }

  @OnSyncEvent(OutboxDeadLetteringEvent, 'alerting.raise-dead-letter-alert')
  async raise(dead: OutboxDeadLetteringEvent): Promise<void> {
    const facts = { outboxId: dead.outboxId, eventId: dead.outboxEventId, eventType: dead.eventType, consumer: dead.consumer, orderId: dead.aggregateId };
    // An alert that cannot be delivered cannot announce itself: the error log is the last resort.
    if (dead.consumer === ALERT_DELIVERY_CONSUMER) {
      this.logger.error({ ...facts, alert: dead.payload, lastError: dead.lastError }, 'ALERT undeliverable: the alert webhook kept failing; this line is the alert');
      return;
    }
    const refused = dead.refusedWithAlert !== null;
    const message =
      `Outbox event ${dead.outboxId} (${dead.eventType} for ${dead.consumer}, order ${dead.aggregateId}) ${refused ? 'was refused for good by its target' : 'failed for good'}: ${dead.lastError}. ` +
      `Fix the cause, then POST /admin/outbox/${dead.outboxId}/retry.`;
    await this.outbox.add(
      new AlertRaisedEvent({ alert: dead.refusedWithAlert ?? 'OUTBOX_DEAD_LETTER', severity: refused ? 'critical' : 'warning', message, orderId: dead.aggregateId }),
      dead.aggregateId,
    );
  }
}
