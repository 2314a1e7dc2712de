import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';

/**
 * The most connections the kernel queues for a listener: Node's default backlog, which Nest's
 * `listen` keeps (net.core.somaxconn can only lower it). Once this many more were taken, the
 * queue as it was at the signal is surely empty, however fast new ones keep coming.
 */
const BACKLOG = 511;

/**
 * How long a connection open once the listener is closed has to start its request (at most a
 * quarter of the grace period). Its client connected before the signal, so it is owed an
 * answer, but nothing tells when its bytes will come: one that has sent none by then is closed,
 * like an idle keep-alive one.
 */
const FIRST_REQUEST_WINDOW_MS = 1_000;

/**
 * Stops an HTTP server without resetting a connection it accepted. Two things in Node would:
 * - Node takes one connection from the kernel's accept queue per event-loop turn (libuv 1.45,
 *   libuv/libuv#3696), so under load handshakes the kernel completed wait there, and closing
 *   the listener resets every one of them. The listener stays open until taking what is
 *   queued brings no more (a cluster worker asks the primary: cluster/connection-handoff.ts).
 * - `server.close()` at once destroys every connection not in the middle of a request, also one
 *   accepted a moment ago whose request is still unread in its socket buffer. Here the
 *   listener alone is closed, every answer from then on says `Connection: close`, and only
 *   connections still idle after the window are closed.
 * Created before the server listens, so that it sees every connection and response.
 */
export class HttpDrain {
  private readonly pending = new Set<ServerResponse>();
  private accepted = 0;
  private draining = false;
  private windowOver = false;

  /**
   * `handedOver` resolves once a connection that was queued for this process when it was
   * called has reached it: one loop turn for a process that listens itself (each turn polls the
   * listener once and takes one queued connection if there is one), a round trip to the
   * primary for a cluster worker.
   */
  constructor(
    private readonly server: Server,
    private readonly handedOver: () => Promise<void> = () => nextLoopTurn(),
  ) {
    server.on('connection', () => this.accepted++);
    // Ahead of Express's listener: an answer written synchronously must still say close.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (this.draining) res.setHeader('Connection', 'close');
      this.pending.add(res);
      res.once('close', () => {
        this.pending.delete(res);
        // An answer whose headers were sent before the drain said keep-alive: its connection is left idle.
        if (this.windowOver) server.closeIdleConnections();
      });
    });
  }

  /** Resolves once every connection is closed; the caller bounds it with the grace period. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    await this.takeQueuedConnections(graceMs / 2);
    // net's close, not http's: it stops accepting and calls back once the last connection is
    // gone, without closing the idle ones first.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
    for (const res of this.pending) if (!res.headersSent) res.setHeader('Connection', 'close');
    const window = setTimeout(() => {
      this.windowOver = true;
      this.server.closeIdleConnections();
    }, Math.min(FIRST_REQUEST_WINDOW_MS, graceMs / 4));
    await closed;
    clearTimeout(window);
  }

  /**
   * Until one `handedOver` brought no connection: the queue was empty. The signal is handled at
   * the end of a loop turn's poll: that turn does not count. Bounded by a count rather than a
   * time, so that a process stalled by its host still takes what was queued before the signal.
   */
  private async takeQueuedConnections(mostMs: number): Promise<void> {
    const deadline = performance.now() + mostMs;
    const before = this.accepted;
    await nextLoopTurn();
    let seen: number;
    do {
      seen = this.accepted;
      await this.handedOver();
    } while (this.accepted !== seen && this.accepted - before < BACKLOG && performance.now() < deadline);
  }
}
