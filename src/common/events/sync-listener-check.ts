import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { SYNC_LISTENER, SyncListenerMetadata } from './on-sync-event.decorator';
import { declaredSyncEvents } from './sync-event.decorator';

/**
 * Start-up fails unless every in-process event is answered by exactly the listeners it
 * declares: a missing one (a module left out, a provider not registered) would otherwise only
 * show on the first payment, and an undeclared one would run without its publisher knowing.
 */
@Injectable()
export class SyncListenerCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const registered = this.registeredListeners();
    const problems: string[] = [];
    for (const { name, answeredBy } of declaredSyncEvents()) {
      const found = registered.get(name) ?? [];
      if (answeredBy === 'anyone') continue;
      for (const id of answeredBy) if (!found.includes(id)) problems.push(`${name} needs listener ${id}, which is not registered`);
      for (const id of found) if (!answeredBy.includes(id)) problems.push(`${name} is answered by ${id}, which it does not declare`);
    }
    for (const [name, ids] of registered) {
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (twice.length > 0) problems.push(`${name}: listener ${twice.join(', ')} registered twice`);
    }
    if (problems.length > 0) throw new Error(`in-process event wiring: ${problems.join('; ')}`);
  }

  private registeredListeners(): Map<string, string[]> {
    const byEvent = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const meta = this.reflector.get<SyncListenerMetadata | undefined>(SYNC_LISTENER, prototype[method] as () => unknown);
        if (meta) byEvent.set(meta.event, [...(byEvent.get(meta.event) ?? []), meta.listener]);
      }
    }
    return byEvent;
  }
}
