import { applyDecorators, SetMetadata } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { declarationOf, SyncEventClass } from './sync-event.decorator';

export type ListenerOutcome = { listener: string; ok: true } | { listener: string; ok: false; error: unknown };

export const SYNC_LISTENER = 'sync-event:listener';

export interface SyncListenerMetadata {
  event: string;
  listener: string;
}

/**
 * Marks the listener `id` of an in-process event (a class declared with @SyncEvent, which must
 * name the id). The listener reports its outcome, with its id, instead of throwing: the
 * publisher (SyncEventPublisher) runs the listeners itself and knows who answered, and
 * @nestjs/event-emitter never gets to suppress an error.
 */
export function OnSyncEvent(event: SyncEventClass, id: string): MethodDecorator {
  const { name } = declarationOf(event);
  const captureOutcome: MethodDecorator = (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = async function (this: unknown, ...args: unknown[]): Promise<ListenerOutcome> {
      try {
        await original.apply(this, args);
        return { listener: id, ok: true };
      } catch (error) {
        return { listener: id, ok: false, error };
      }
    };
  };
  return applyDecorators(
    captureOutcome,
    SetMetadata<string, SyncListenerMetadata>(SYNC_LISTENER, { event: name, listener: id }),
    OnEvent(name, { suppressErrors: false, async: false, promisify: true }),
  );
}
