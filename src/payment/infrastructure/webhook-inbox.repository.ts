import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import type { GatewayWebhook } from '../domain/gateway-webhook';
import { StoredWebhook, WebhookInbox, WebhookResult } from '../application/ports/webhook-inbox.port';

const COLUMNS = `id, received_at AS "receivedAt", json_build_object('kind', kind, 'paymentKey', payment_key, 'gatewayOrderId', gateway_order_id) AS head, body`;

interface Row {
  id: number;
  receivedAt: Date;
  head: { kind: GatewayWebhook['kind']; paymentKey: string | null; gatewayOrderId: string | null };
  body: Record<string, unknown>;
}

@Injectable()
export class WebhookInboxRepository implements WebhookInbox {
  constructor(private readonly sql: Sql) {}

  async store(dedupeKey: string, webhook: GatewayWebhook, body: unknown): Promise<StoredWebhook | null> {
    const row = await this.sql.one<{ id: number; receivedAt: Date }>(
      `INSERT INTO gateway_webhooks (dedupe_key, kind, payment_key, gateway_order_id, body) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, received_at AS "receivedAt"`,
      [dedupeKey, webhook.kind, webhook.kind === 'PAYMENT_STATUS_CHANGED' ? webhook.paymentKey : null, webhook.gatewayOrderId, JSON.stringify(body)],
    );
    return row ? { id: row.id, receivedAt: row.receivedAt, webhook } : null;
  }

  async find(id: number): Promise<StoredWebhook | null> {
    const row = await this.sql.one<Row>(`SELECT ${COLUMNS} FROM gateway_webhooks WHERE id = $1`, [id]);
    if (!row) return null;
    const webhook: GatewayWebhook =
      row.head.kind === 'DEPOSIT_CALLBACK'
        ? {
            kind: 'DEPOSIT_CALLBACK',
            gatewayOrderId: row.head.gatewayOrderId!,
            secret: typeof row.body.secret === 'string' ? row.body.secret : null,
            status: typeof row.body.status === 'string' ? row.body.status : null,
            transactionKey: typeof row.body.transactionKey === 'string' ? row.body.transactionKey : null,
          }
        : { kind: 'PAYMENT_STATUS_CHANGED', paymentKey: row.head.paymentKey, gatewayOrderId: row.head.gatewayOrderId, status: null };
    return { id: row.id, receivedAt: row.receivedAt, webhook };
  }

  async markProcessed(id: number, result: WebhookResult): Promise<void> {
    await this.sql.rows(`UPDATE gateway_webhooks SET result = $2, processed_at = now() WHERE id = $1`, [id, result]);
  }
}
