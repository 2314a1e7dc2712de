import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DeliveryOutcomeUnknownError } from '../../../common/events/outbox/delivery-errors';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { OutboxWriter } from '../../../common/events/outbox/outbox.writer';
import type { GatewayAttempt } from '../../domain/payment';
import { PaymentMetrics } from '../../payment.metrics';
import { GatewayCancelsReportedEvent } from '../events/gateway-cancels-reported.event';
import { GatewayWebhookReceivedEvent } from '../events/gateway-webhook-received.event';
import { PayThroughGatewayUseCase } from '../pay-through-gateway.use-case';
import { PaymentGateway } from '../ports/payment-gateway.port';
import { PaymentStore } from '../ports/payment-store.port';
import { WebhookInbox } from '../ports/webhook-inbox.port';

export const GATEWAY_WEBHOOK_CONSUMER = 'gateway-webhook';

/**
 * After commit: a stored webhook is acted on by what the gateway answers to a re-read of the
 * payment by its key, never by what the webhook said. Every attempt carrying that charge is
 * settled through the request path's own phase 3 (under the order's lock, so a webhook racing
 * the request's confirm ends in one settlement), and the cancels of a payment that paid its
 * order go to the refund module's books. A gateway that cannot be read throws
 * DeliveryOutcomeUnknownError: the outbox retries for as long as it takes (the gateway, answered
 * 200, will not send the webhook again). A payment the gateway does not know (404) settles
 * nothing: no webhook of the gateway can be about it, and an attempt whose confirm is still on
 * its way is its request's to settle (or the reconciler's, once PG_TIMEOUT_MS has passed).
 */
@Injectable()
export class ActOnWebhookOnGatewayWebhookReceived {
  constructor(
    private readonly inbox: WebhookInbox,
    private readonly payments: PaymentStore,
    private readonly gateway: PaymentGateway,
    private readonly gatewayPayments: PayThroughGatewayUseCase,
    private readonly outbox: OutboxWriter,
    private readonly metrics: PaymentMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ActOnWebhookOnGatewayWebhookReceived.name);
  }

  @OnOutboxEvent(GatewayWebhookReceivedEvent, GATEWAY_WEBHOOK_CONSUMER)
  async act(event: GatewayWebhookReceivedEvent): Promise<void> {
    const stored = await this.inbox.find(event.webhookId);
    if (!stored) return;
    const { webhook } = stored;
    const attempts =
      webhook.kind === 'PAYMENT_STATUS_CHANGED' && webhook.paymentKey
        ? await this.payments.attemptsWithKey(webhook.paymentKey)
        : webhook.gatewayOrderId
          ? await this.payments.attemptsForGatewayOrder(webhook.gatewayOrderId)
          : [];
    if (attempts.length === 0) {
      await this.inbox.markProcessed(stored.id, 'UNKNOWN_PAYMENT');
      this.metrics.webhooks.inc({ kind: webhook.kind, result: 'UNKNOWN_PAYMENT' });
      this.logger.warn({ webhookId: stored.id, kind: webhook.kind, gatewayOrderId: webhook.gatewayOrderId }, 'gateway webhook about a payment the shop does not know: stored and counted');
      return;
    }
    for (const paymentKey of new Set(attempts.map((a) => a.paymentKey))) await this.reRead(paymentKey, attempts.filter((a) => a.paymentKey === paymentKey));
    await this.inbox.markProcessed(stored.id, 'PROCESSED');
    this.metrics.webhooks.inc({ kind: webhook.kind, result: 'PROCESSED' });
  }

  private async reRead(paymentKey: string, attempts: GatewayAttempt[]): Promise<void> {
    const lookup = await this.gateway.findByPaymentKey(paymentKey);
    if (lookup.kind === 'UNKNOWN') throw new DeliveryOutcomeUnknownError(`the gateway could not be asked about payment ${paymentKey}: ${lookup.reason}`);
    if (lookup.kind === 'NOT_FOUND') {
      this.logger.warn({ paymentKey, attempts: attempts.map((a) => a.id) }, 'gateway webhook about a payment the gateway does not know (404): nothing settled by it');
      return;
    }
    for (const attempt of attempts) {
      const settlement = await this.gatewayPayments.settleByLookup(attempt, lookup);
      this.logger.info({ orderId: attempt.orderId, paymentId: attempt.id, settlement: settlement.kind }, 'gateway payment settled by a webhook\'s re-read');
    }
    const paying = (await this.payments.attemptsWithKey(paymentKey)).find((a) => a.status === 'COMPLETED');
    if (paying && lookup.kind === 'FOUND' && lookup.payment.cancels.length > 0) {
      const cancels = lookup.payment.cancels.map((c) => ({ transactionKey: c.transactionKey, amount: c.cancelAmount }));
      await this.outbox.add(new GatewayCancelsReportedEvent(paying.id, paying.orderId, cancels), paying.orderId);
    }
  }
}
