import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { ListenerOutcome } from './on-sync-event.decorator';
import { declarationOf } from './sync-event.decorator';

/**
 * Publishes an in-process event (a @SyncEvent class) to its listeners one after another, in the
 * order they were registered, and stops at the first that fails: its error is thrown, so the
 * caller's transaction rolls back. A declared listener that did not answer throws too, since a
 * command nobody carried out must not commit. One at a time because the listeners of an
 * in-transaction event share one connection: emitAsync would run them at once, and queries sent
 * on a connection that is still busy are queued by pg in a way pg@9 removes.
 */
@Injectable()
export class SyncEventPublisher {
  constructor(
    private readonly emitter: EventEmitter2,
    private readonly txHost: TransactionHost,
  ) {}

  async publish(event: object): Promise<void> {
    const { name, answeredBy, delivery } = declarationOf(event);
    // Its listeners wait on the network: inside a transaction they would hold its locks meanwhile.
    if (delivery === 'outside-transaction' && this.txHost.isTransactionActive()) throw new Error(`${name} is published outside any transaction, but one is open`);
    const answered = new Set<string>();
    for (const listener of this.emitter.listeners(name)) {
      const outcome = (await (listener as (payload: object) => unknown)(event)) as ListenerOutcome;
      if (!outcome.ok) throw outcome.error;
      answered.add(outcome.listener);
    }
    if (answeredBy === 'anyone') return;
    const missing = answeredBy.filter((id) => !answered.has(id));
    if (missing.length > 0) throw new Error(`${name}: declared listener ${missing.join(', ')} did not answer`);
  }
}
