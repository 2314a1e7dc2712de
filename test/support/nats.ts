import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { StreamInfo } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { freePort } from './child-app';

/** Debian installs it in /usr/sbin, which a non-root PATH may lack; NATS_SERVER_BIN overrides. */
const BINARY = process.env.NATS_SERVER_BIN ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

/**
 * A real nats-server with JetStream, of this test file alone: its own port and store directory.
 * `stop()` and `start()` again keep both, as a restarted server would (file storage survives).
 */
export class NatsServer {
  readonly storeDir = mkdtempSync(join(tmpdir(), 'nats-test-'));
  port = 0;
  private process: ChildProcess | null = null;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port = this.port || (await freePort());
    const child = spawn(BINARY, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server is ready')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`nats-server exited (${code}) during start-up:\n${output}`)));
      setTimeout(() => reject(new Error(`nats-server not ready within 10 s:\n${output}`)), 10_000).unref();
    });
    return this;
  }

  /** SIGKILL by default: the server vanishes mid-conversation, as in a crash. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

export interface StreamMessage {
  subject: string;
  seq: number;
  headers: Record<string, string>;
  body: Record<string, unknown> & { eventId: string; eventType: string; orderId: number };
}

/** A client of the kind another service would use, for reading and managing the stream. */
export class NatsClient {
  private constructor(readonly nc: NatsConnection) {}

  static async connect(url: string): Promise<NatsClient> {
    return new NatsClient(await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 }));
  }

  async streamInfo(name: string): Promise<StreamInfo | null> {
    const jsm = await jetstreamManager(this.nc);
    return jsm.streams.info(name).catch(() => null);
  }

  async deleteStream(name: string): Promise<void> {
    await (await jetstreamManager(this.nc)).streams.delete(name);
  }

  /** Every message in the stream, in stream order, read with an ordered consumer from the start. */
  async messages(stream: string): Promise<StreamMessage[]> {
    const info = await this.streamInfo(stream);
    if (!info || info.state.messages === 0) return [];
    const consumer = await jetstream(this.nc).consumers.get(stream);
    const out: StreamMessage[] = [];
    while (out.length < info.state.messages) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        const headers: Record<string, string> = {};
        for (const [key, values] of m.headers ?? []) headers[key] = values[0];
        out.push({ subject: m.subject, seq: m.seq, headers, body: m.json() });
      }
      if (got === 0) throw new Error(`stream ${stream} promised ${info.state.messages} messages, read ${out.length}`);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
