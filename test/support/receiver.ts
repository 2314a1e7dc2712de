import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  idempotencyKey: string | undefined;
  body: Record<string, unknown> & { eventId: string; eventType: string; orderId: number };
}

/**
 * A real HTTP data platform on loopback. `decide` picks each answer's status; `down()` stops
 * listening (connections are refused) and `up()` comes back on the same port.
 */
export class Receiver {
  readonly accepted: Received[] = [];
  requests = 0;
  port = 0;
  private server: Server | null = null;

  constructor(public decide: (request: Received, attempt: number) => number = () => 200) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  async up(): Promise<void> {
    const attempts = new Map<string, number>();
    this.server = createServer(async (req, res) => {
      const request: Received = { idempotencyKey: header(req, 'idempotency-key'), body: JSON.parse(await text(req)) };
      this.requests++;
      const attempt = (attempts.get(request.body.eventId) ?? 0) + 1;
      attempts.set(request.body.eventId, attempt);
      const status = this.decide(request, attempt);
      if (status >= 200 && status < 300) this.accepted.push(request);
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Accepted events, one per eventId (a receiver would drop repeats by Idempotency-Key). */
  distinct(): Map<string, Received> {
    return new Map(this.accepted.map((r) => [r.body.eventId, r]));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function text(req: IncomingMessage): Promise<string> {
  let data = '';
  for await (const chunk of req) data += chunk;
  return data;
}
