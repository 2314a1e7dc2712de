import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { ListenerOutcome } from './on-sync-event.decorator';
import { declarationOf } from './sync-event.decorator';

/**
 * Publishes an in-process event (a @SyncEvent class) and waits for every listener to settle.
 * Throws the first listener error, so the caller's transaction rolls back; a declared listener
 * that did not answer throws too, since a command nobody carried out must not commit.
 */
@Injectable()
export class SyncEventPublisher {
  constructor(private readonly emitter: EventEmitter2) {}

  async publish(event: object): Promise<void> {
    const { name, answeredBy } = declarationOf(event);
    const outcomes = (await this.emitter.emitAsync(name, event)) as ListenerOutcome[];
    if (answeredBy !== 'anyone') {
      const answered = new Set(outcomes.map((o) => o.listener));
      const missing = answeredBy.filter((id) => !answered.has(id));
      if (missing.length > 0) throw new Error(`${name}: declared listener ${missing.join(', ')} did not answer`);
    }
    const failed = outcomes.find((o): o is Extract<ListenerOutcome, { ok: false }> => !o.ok);
    if (failed) throw failed.error;
  }
}
