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
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}
