import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { OUTBOX_CONSUMER, OutboxDeliveryOptions, OutboxSubscription } from './on-outbox-event.decorator';

export type OutboxHandler = (payload: Record<string, unknown>) => Promise<void>;

/** The (consumer, event type) pairs this build can deliver, as parallel arrays for one SQL parameter each. */
export interface HandledPairs {
  consumers: string[];
  eventTypes: string[];
}

/** Finds every @OnOutboxEvent method once the module graph exists. */
@Injectable()
export class OutboxConsumers implements OnModuleInit {
  private readonly byEvent = new Map<string, Map<string, OutboxHandler>>();
  private readonly retention = new Map<string, number>();
  private readonly delivery = new Map<string, Required<OutboxDeliveryOptions>>();

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
        this.recordDelivery(subscription);
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

  /**
   * What this instance may claim. Rows of a consumer or event type that this build lacks (a
   * consumer switched off here by configuration, or deployed only on newer instances) are left
   * to an instance that has it rather than failed: they stay PENDING and show in the backlog.
   */
  handled(): HandledPairs {
    const pairs = [...this.byEvent].flatMap(([eventType, consumers]) => [...consumers.keys()].map((consumer) => ({ consumer, eventType })));
    return { consumers: pairs.map((p) => p.consumer), eventTypes: pairs.map((p) => p.eventType) };
  }

  /** Consumers whose rows are handed over one at a time per aggregate, in id order. */
  orderedByAggregate(): string[] {
    return [...this.delivery].filter(([, options]) => options.orderedByAggregate).map(([consumer]) => consumer);
  }

  neverDeadLetters(consumer: string): boolean {
    return this.delivery.get(consumer)?.neverDeadLetter ?? false;
  }

  /** Only called for a claimed row, and only handled pairs are claimed. */
  handler(eventType: string, consumer: string): OutboxHandler {
    const handler = this.byEvent.get(eventType)?.get(consumer);
    if (!handler) throw new Error(`no outbox consumer ${consumer} for ${eventType}`);
    return handler;
  }

  /** Ordering and dead-lettering apply to a consumer's rows of every event type, so they must agree. */
  private recordDelivery({ consumer, orderedByAggregate = false, neverDeadLetter = false }: OutboxSubscription): void {
    const known = this.delivery.get(consumer);
    if (known && (known.orderedByAggregate !== orderedByAggregate || known.neverDeadLetter !== neverDeadLetter)) {
      throw new Error(`outbox consumer ${consumer} declares different delivery options on its subscriptions`);
    }
    this.delivery.set(consumer, { orderedByAggregate, neverDeadLetter });
  }
}
