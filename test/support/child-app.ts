import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { createDatabase, databaseUrl, dropDatabase, redisUrl } from './infrastructure';
import { OpenApiContract } from './openapi-contract';
import type { OpenApiDocument } from './openapi-contract';
import { TEST_JWT_SECRET } from './test-app';

/** Response bodies of a black-box process: tests check them field by field. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

function jsonOrNull(text: string | null): Json {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The production build (`npm run build`) started as a separate process, for what only a real
 * process shows: signals, crashes, restarts. It gets a database and Redis prefix of its own.
 */
export class ChildApp {
  readonly databaseName: string;
  readonly databaseUrl: string;
  readonly jwt = new JwtService({ secret: TEST_JWT_SECRET });
  process: ChildProcess | null = null;
  output = '';
  port = 0;
  private readonly clients: Client[] = [];
  /** The running build's own OpenAPI document (/docs-json), read once it is healthy. */
  private contract: OpenApiContract | null = null;

  /**
   * `env`: extra environment, may be changed between starts. `shareWith`: another instance
   * whose database and Redis prefix this one uses too (several instances of one deployment).
   */
  constructor(
    public env: Record<string, string> = {},
    shareWith?: ChildApp,
  ) {
    this.databaseName = shareWith?.databaseName ?? `shop_child_${randomBytes(5).toString('hex')}`;
    this.databaseUrl = databaseUrl(this.databaseName);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  token(userId: number, role: 'user' | 'admin' = 'user'): string {
    return this.jwt.sign({ sub: String(userId), role });
  }

  /** One JSON request as that user (a signed token each time, as a client would send). */
  async call(method: string, path: string, userId: number, body?: unknown, role: 'user' | 'admin' = 'user'): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token(userId, role)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: jsonOrNull(await this.checked(method, path, res)) };
  }

  /** A balance charge as that user; `headers` adds to the request's (e.g. `connection: close`). */
  async charge(userId: number, amount: number, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${this.baseUrl}/me/balance/charge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token(userId)}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ amount }),
    });
    await this.checked('POST', '/me/balance/charge', res.clone());
    return res;
  }

  /**
   * The answer's body, after checking the answer against the build's OpenAPI document: one the
   * document does not describe throws, failing the test that got it. Null when the body could
   * not be read to its end (the process died mid-answer, which the tests look at themselves).
   */
  private async checked(method: string, path: string, res: Response): Promise<string | null> {
    const text = await res.text().catch(() => null);
    const found = text === null ? null : this.contract?.violation({ method, url: path, authorized: true, status: res.status, contentType: res.headers.get('content-type') ?? undefined, body: text });
    if (found) throw new Error(`an answer the OpenAPI document does not describe: ${found}`);
    return text;
  }

  async createDatabase(): Promise<void> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
    await createDatabase(this.databaseName);
  }

  async start(): Promise<void> {
    this.port = this.port || (await freePort());
    this.process = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PORT: String(this.port),
        DATABASE_URL: this.databaseUrl,
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: `${this.databaseName}:`,
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'info',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`app exited during start-up:\n${this.output}`);
      const ok = await fetch(`${this.baseUrl}/health`).then((r) => r.ok, () => false);
      if (ok) {
        this.contract ??= new OpenApiContract((await (await fetch(`${this.baseUrl}/docs-json`)).json()) as OpenApiDocument);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`app did not become healthy:\n${this.output}`);
  }

  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited(): Promise<number | string> {
    const child = this.process!;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode!);
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited();
    }
  }

  /** A connection of the test's own to this instance's database; `dropDatabase()` closes it. */
  async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    this.clients.push(client);
    return client;
  }

  async dropDatabase(): Promise<void> {
    await this.stop();
    await Promise.all(this.clients.splice(0).map((c) => c.end()));
    await dropDatabase(this.databaseName);
  }
}
