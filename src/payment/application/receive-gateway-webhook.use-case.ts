import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { canonicalJson } from '../../common/http/idempotency/fingerprint';
import { readWebhook } from '../domain/gateway-webhook';
import { PaymentMetrics } from '../payment.metrics';
import { GatewayWebhookReceivedEvent } from './events/gateway-webhook-received.event';
import { WebhookInbox } from './ports/webhook-inbox.port';

/**
 * POST /webhooks/payment-gateway: a webhook is a hint, never the truth (DESIGN.md "The gateway's
 * word"). It is stored, with the outbox event that acts on it, in one short transaction, and
 * answered at once, whatever the gateway is doing; the same body again is stored once. What it
 * leads to is decided after, by re-reading the payment from the gateway.
 */
@Injectable()
export class ReceiveGatewayWebhookUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly inbox: WebhookInbox,
    private readonly outbox: OutboxWriter,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReceiveGatewayWebhookUseCase.name);
  }

  async execute(body: unknown): Promise<{ received: true; duplicate: boolean }> {
    const reading = readWebhook(body);
    if (!reading.ok) {
      this.metrics.webhooks.inc({ kind: 'UNREADABLE', result: 'INVALID' });
      throw new ValidationFailedError('Not a webhook of the payment gateway', [reading.reason]);
    }
    const { webhook } = reading;
    const dedupeKey = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const stored = await this.unitOfWork.run(async () => {
      const row = await this.inbox.store(dedupeKey, webhook, body);
      if (row) await this.outbox.add(new GatewayWebhookReceivedEvent(row.id), 0);
      return row;
    });
    this.metrics.webhooks.inc({ kind: webhook.kind, result: stored ? 'STORED' : 'DUPLICATE' });
    this.logger.info({ webhookId: stored?.id ?? null, kind: webhook.kind, gatewayOrderId: webhook.gatewayOrderId, duplicate: !stored }, 'gateway webhook received');
    return { received: true, duplicate: !stored };
  }
}
