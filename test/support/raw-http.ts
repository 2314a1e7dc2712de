import { connect, Socket } from 'node:net';

/** Response bodies as the tests read them: any JSON. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Answer {
  status: number;
  /** The body exactly as sent, to measure it. */
  text: string;
  body: Json;
  ms: number;
}

/** One request with a body given as text (so it can be anything, valid JSON or not), timed. */
export async function send(baseUrl: string, method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: Json = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test looks at `text`.
  }
  return { status: res.status, text, body, ms };
}

export interface RawExchange {
  /** Everything the server wrote before it closed the connection (or before `waitMs` ran out). */
  received: string;
  /** Milliseconds from connecting until the server closed the connection; null when it did not within `waitMs`. */
  closedAfterMs: number | null;
}

/**
 * Speaks raw bytes to the server over one TCP connection, as a careless or hostile client
 * would: `script` writes (and waits) as it likes. Resolves when the server closes the
 * connection or `waitMs` have passed, whichever comes first.
 */
export function rawExchange(port: number, script: (socket: Socket) => void | Promise<void>, waitMs: number): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let received = '';
    let done = false;
    const finish = (closedAfterMs: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closedAfterMs });
    };
    const timer = setTimeout(() => finish(null), waitMs);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => finish(performance.now() - started));
    socket.on('close', () => finish(performance.now() - started));
    socket.on('connect', () => {
      Promise.resolve(script(socket)).catch(() => undefined);
    });
  });
}

/** The status and the JSON body of the first HTTP response in `raw`. */
export function parseRawResponse(raw: string): { status: number; headers: string; body: Json } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
  let body: Json = null;
  try {
    body = JSON.parse(rest.join('\r\n\r\n'));
  } catch {
    body = null;
  }
  return { status, headers: head, body };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
