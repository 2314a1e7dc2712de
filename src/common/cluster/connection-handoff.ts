import type { Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';

/**
 * Under WEB_CONCURRENCY the primary accepts the connections and hands each to a worker, the
 * next one only once the worker has taken the last, and when the last worker stops listening
 * it closes every connection it still holds: reset, like those left in the kernel's queue. A
 * draining worker therefore stops listening only after a round trip to the primary brought it
 * no connection.
 */
export const HANDOFF_PING = 'shop:handoff-ping';
const HANDOFF_PONG = 'shop:handoff-pong';

/**
 * Primary side. Its answer follows one more poll of its own, in which the listener takes a
 * connection still queued in the kernel and hands it out; the IPC channel keeps order, so a
 * connection handed to this worker reaches it before the answer.
 */
export function answerHandoffPing(worker: Worker, id: string): void {
  void nextLoopTurn()
    .then(() => nextLoopTurn())
    .then(() => worker.isConnected() && worker.send({ type: HANDOFF_PONG, id }));
}

/** Worker side: resolves once every connection the primary held for this worker when it was called has arrived. */
export function connectionsHandedOver(): Promise<void> {
  const id = randomUUID();
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; id?: string }) => {
      if (message?.type !== HANDOFF_PONG || message.id !== id) return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
    process.send!({ type: HANDOFF_PING, id });
  });
}
