import type { GatewayWebhook } from '../../domain/gateway-webhook';

export type WebhookResult = 'PROCESSED' | 'UNKNOWN_PAYMENT' | 'REJECTED_SECRET';

export interface StoredWebhook {
  id: number;
  webhook: GatewayWebhook;
  receivedAt: Date;
}

/** The gateway_webhooks table: every webhook received, once per body. */
export abstract class WebhookInbox {
  /** Stores it; null when the very same body was stored before (the gateway retried). */
  abstract store(dedupeKey: string, webhook: GatewayWebhook, body: unknown): Promise<StoredWebhook | null>;
  abstract find(id: number): Promise<StoredWebhook | null>;
  abstract markProcessed(id: number, result: WebhookResult): Promise<void>;
}
