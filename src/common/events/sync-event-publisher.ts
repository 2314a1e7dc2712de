import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { ListenerOutcome } from './sync-listener.decorator';

/**
 * Publishes an in-transaction event and waits for every @OnSyncEvent listener to settle.
 * Throws the first listener error, so the caller's transaction rolls back; an event with no
 * listener is a wiring bug and throws too, since a command nobody carried out must not commit.
 */
@Injectable()
export class SyncEventPublisher {
  constructor(private readonly emitter: EventEmitter2) {}

  async publish(name: string, payload: object): Promise<void> {
    const outcomes = (await this.emitter.emitAsync(name, payload)) as ListenerOutcome[];
    if (outcomes.length === 0) throw new Error(`no listener handled ${name}`);
    const failed = outcomes.find((o): o is { ok: false; error: unknown } => o?.ok === false);
    if (failed) throw failed.error;
  }
}
