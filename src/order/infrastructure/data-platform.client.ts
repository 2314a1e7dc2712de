import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { OrderSnapshotEvent } from '../application/events/order-snapshot.event';
import { DataPlatform } from '../application/ports/data-platform.port';
import { OrderSettings } from '../order.settings';

/**
 * POSTs one order event to the data platform. The eventId is the Idempotency-Key, identical on
 * every retry, so the receiver can drop repeats. Any non-2xx answer or a timeout throws, and
 * the outbox retries with backoff. Without DATA_PLATFORM_URL the payload is logged instead.
 */
@Injectable()
export class DataPlatformClient implements DataPlatform {
  constructor(
    private readonly config: OrderSettings,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(DataPlatformClient.name);
  }

  async send(event: OrderSnapshotEvent): Promise<void> {
    const url = this.config.DATA_PLATFORM_URL;
    if (!url) {
      this.logger.info({ export: event, orderId: event.orderId }, 'data platform export (DATA_PLATFORM_URL unset, logged instead)');
      return;
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': event.eventId },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(this.config.DATA_PLATFORM_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`data platform answered ${response.status} for ${event.eventType} of order ${event.orderId}`);
  }
}
