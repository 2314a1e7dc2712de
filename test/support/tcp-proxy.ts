import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy that a test can break on purpose: `blackhole()` drops every open
 * connection and then accepts new ones without ever answering (the worst kind of outage,
 * where only timeouts help); `restore()` forwards again.
 */
export class TcpProxy {
  private server: Server;
  private sockets = new Set<Socket>();
  private broken = false;
  port = 0;
  /** Added to every chunk in both directions, to make the backend slow without failing it. */
  delayMs = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  blackhole(): void {
    this.broken = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.broken = false;
  }

  async stop(): Promise<void> {
    this.blackhole();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.broken) return;
    const upstream = new Socket();
    this.track(upstream);
    upstream.connect(this.targetPort, this.targetHost);
    this.forward(client, upstream);
    this.forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  }

  /** Keeps order: each chunk waits for the delay and for the chunk before it. */
  private forward(from: Socket, to: Socket): void {
    let last = Promise.resolve();
    from.on('data', (chunk) => {
      if (this.delayMs === 0) {
        last = last.then(() => void to.write(chunk));
        return;
      }
      const delay = this.delayMs;
      last = last.then(() => new Promise<void>((resolve) => setTimeout(() => (to.write(chunk), resolve()), delay)));
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}
