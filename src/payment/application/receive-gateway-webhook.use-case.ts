import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { canonicalJson } from '../../common/http/idempotency/fingerprint';
import { readWebhook } from '../domain/gateway-webhook';
import { DepositSecretMismatchError } from '../domain/payment.errors';
import { PaymentMetrics } from '../payment.metrics';
import { GatewayWebhookReceivedEvent } from './events/gateway-webhook-received.event';
import { PaymentStore } from './ports/payment-store.port';
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
    private readonly payments: PaymentStore,
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
    if (webhook.kind === 'DEPOSIT_CALLBACK' && !(await this.carriesTheSecret(webhook.gatewayOrderId, webhook.secret))) {
      this.metrics.webhooks.inc({ kind: webhook.kind, result: 'REJECTED_SECRET' });
      this.logger.warn({ kind: webhook.kind, gatewayOrderId: webhook.gatewayOrderId }, 'deposit callback whose secret is not the one the gateway issued: refused, nothing stored');
      throw new DepositSecretMismatchError();
    }
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

  /**
   * A deposit callback for a virtual account the shop holds must carry the secret the confirm
   * returned for it (a forged one could otherwise make the shop look the payment up at will).
   * One about an account the shop does not know is stored and counted like any unknown webhook.
   */
  private async carriesTheSecret(gatewayOrderId: string, secret: string | null): Promise<boolean> {
    const secrets = await this.payments.depositSecretsOf(gatewayOrderId);
    if (secrets.length === 0) return true;
    if (secret === null) return false;
    const given = createHash('sha256').update(secret).digest();
    return secrets.some((s) => timingSafeEqual(createHash('sha256').update(s).digest(), given));
  }
}
