/**
 * When an in-process event's listeners run: inside the publisher's transaction (a listener's
 * failure rolls it back), right after it rolled back (compensations of what Postgres could not
 * undo), or with no transaction open at all (a command whose listener calls out, e.g. to the
 * payment gateway, and opens its own transactions).
 */
export type SyncDelivery = 'in-transaction' | 'after-rollback' | 'outside-transaction';

export interface SyncEventOptions {
  delivery: SyncDelivery;
  /**
   * The ids of the listeners that must answer, all of them and no other: publishing fails when
   * one did not, and so does start-up when one is not registered. `'anyone'` is a hook whose
   * publisher cannot name its listeners (plumbing that knows no module): none is required.
   */
  answeredBy: readonly string[] | 'anyone';
}

export interface SyncEventDeclaration extends SyncEventOptions {
  /** The class's static NAME. */
  name: string;
}

/** An in-process event class: its static NAME is the name listeners subscribe to. */
export interface SyncEventClass {
  readonly NAME: string;
}

const DECLARATION = Symbol('sync-event');
const declared = new Map<string, SyncEventDeclaration>();

/** Declares an in-process event class: when it is delivered and who must answer it. */
export function SyncEvent(options: SyncEventOptions): <T extends SyncEventClass>(target: T) => void {
  return (target) => {
    const declaration = { name: target.NAME, ...options };
    if (declared.has(declaration.name)) throw new Error(`in-process event ${declaration.name} is declared twice`);
    declared.set(declaration.name, declaration);
    Object.defineProperty(target, DECLARATION, { value: declaration });
  };
}

/** The declaration of an event class, or of an event's class. */
export function declarationOf(event: object): SyncEventDeclaration {
  const type = typeof event === 'function' ? event : event.constructor;
  const declaration = (type as unknown as Record<symbol, SyncEventDeclaration | undefined>)[DECLARATION];
  if (!declaration) throw new Error(`${type.name} is not a @SyncEvent class`);
  return declaration;
}

/** Every event class declared by the files loaded so far (each publisher imports its own). */
export function declaredSyncEvents(): SyncEventDeclaration[] {
  return [...declared.values()];
}
