import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { OUTBOX_CONSUMER, OutboxSubscription } from './on-outbox-event.decorator';

export type OutboxHandler = (payload: Record<string, unknown>) => Promise<void>;

/** Finds every @OnOutboxEvent method once the module graph exists. */
@Injectable()
export class OutboxConsumers implements OnModuleInit {
  private readonly byEvent = new Map<string, Map<string, OutboxHandler>>();
  private readonly retention = new Map<string, number>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const handler = instance[method] as OutboxHandler;
        const subscription = this.reflector.get<OutboxSubscription | undefined>(OUTBOX_CONSUMER, handler);
        if (!subscription) continue;
        const consumers = this.byEvent.get(subscription.eventType) ?? new Map<string, OutboxHandler>();
        if (consumers.has(subscription.consumer)) throw new Error(`outbox consumer ${subscription.consumer} registered twice for ${subscription.eventType}`);
        consumers.set(subscription.consumer, (payload) => handler.call(instance, payload));
        this.byEvent.set(subscription.eventType, consumers);
        if (subscription.retentionDays !== undefined) {
          this.retention.set(subscription.consumer, Math.max(subscription.retentionDays, this.retention.get(subscription.consumer) ?? 0));
        }
      }
    }
  }

  consumersOf(eventType: string): string[] {
    return [...(this.byEvent.get(eventType)?.keys() ?? [])];
  }

  /** Consumers that keep their delivered rows longer than the default, with their days. */
  retentionDays(): Map<string, number> {
    return new Map(this.retention);
  }

  handler(eventType: string, consumer: string): OutboxHandler | undefined {
    return this.byEvent.get(eventType)?.get(consumer);
  }
}
