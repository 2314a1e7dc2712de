import { applyDecorators } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

export type ListenerOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * Marks a listener that runs inside the publisher's transaction (or, for a *.fail event, right
 * after its rollback). Two traps of @nestjs/event-emitter are closed here: errors are not
 * suppressed, and since emitAsync runs a name's listeners concurrently and rejects on the first
 * failure while siblings still run, each listener reports its outcome instead of throwing, so
 * the publisher sees every listener settle before it rolls back. One method may listen to
 * several events (a compensation shared by two fail events).
 */
export function OnSyncEvent(...events: string[]): MethodDecorator {
  const captureOutcome: MethodDecorator = (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = async function (this: unknown, ...args: unknown[]): Promise<ListenerOutcome> {
      try {
        await original.apply(this, args);
        return { ok: true };
      } catch (error) {
        return { ok: false, error };
      }
    };
  };
  return applyDecorators(captureOutcome, ...events.map((event) => OnEvent(event, { suppressErrors: false, async: false, promisify: true })));
}
