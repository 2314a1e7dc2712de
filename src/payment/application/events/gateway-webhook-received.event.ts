/**
 * After commit: a webhook of the gateway was stored in the inbox. Acted on by its consumer, with
 * the outbox's retries, from what was stored: the webhook's own request only stores it.
 */
export class GatewayWebhookReceivedEvent {
  static readonly NAME = 'payment.gateway-webhook-received';
  declare readonly eventId: string;

  constructor(readonly webhookId: number) {}
}
