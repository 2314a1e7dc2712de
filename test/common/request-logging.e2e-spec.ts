import { ChildApp, freePort } from '../support/child-app';
import { concurrently } from '../support/http';

type Line = { level: number; msg?: string; reqId?: string; userId?: number; orderId?: number; req?: { id?: string } };

const USER = 3;

describe('request log lines carry the request id, the user and the order, at every level (e2e)', () => {
  const app = new ChildApp({ ORDER_SWEEP_INTERVAL_MS: '0', PG_SECRET_KEY: 'test_sk_logging', PG_TIMEOUT_MS: '1000' });
  let seen = 0;
  /** Whole lines written since the last call. */
  const newLines = (): Line[] => {
    const end = app.output.lastIndexOf('\n') + 1;
    const lines = app.output.slice(seen, end).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
    seen = Math.max(seen, end);
    return lines;
  };
  /** New lines until `done` holds for all of them (the process writes them as it goes). */
  const linesUntil = async (done: (lines: Line[]) => boolean): Promise<Line[]> => {
    const lines: Line[] = [];
    const deadline = Date.now() + 5_000;
    while (!done(lines) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      lines.push(...newLines());
    }
    return lines;
  };
  const send = (path: string, userId: number, reqId: string, body?: unknown) =>
    fetch(`${app.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${app.token(userId)}`, 'content-type': 'application/json', 'x-request-id': reqId },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    // Nothing listens there: a card payment fails as "gateway unreachable" and logs a warning.
    app.env.PG_BASE_URL = `http://127.0.0.1:${await freePort()}`;
    await app.createDatabase();
  });
  afterEach(() => app.stop());
  afterAll(() => app.dropDatabase());

  it('LOG_LEVEL=warn: no access log, and the warning of a failed payment names the request, the user and the order', async () => {
    app.env.LOG_LEVEL = 'warn';
    await app.start();
    const product = (await app.call('POST', '/admin/products', 1, { name: 'log', price: 5_000, options: [{ name: 'a', stock: 5 }] }, 'admin')).body;
    const order = (await app.call('POST', '/orders', USER, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] })).body;
    newLines();

    const res = await send('/payments', USER, 'trace-warn-1', { orderId: order.id, method: 'CARD', paymentKey: 'pk_log' });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-request-id')).toBe('trace-warn-1');
    const lines = await linesUntil((all) => all.some((l) => l.msg === 'backing service unavailable'));
    const failed = lines.find((l) => (l.msg ?? '').startsWith('payment failed: a backing service is unavailable'));
    expect(failed).toMatchObject({ level: 40, reqId: 'trace-warn-1', userId: USER, orderId: order.id });
    expect(lines.find((l) => l.msg === 'backing service unavailable')).toMatchObject({ reqId: 'trace-warn-1', userId: USER, orderId: order.id });
    expect(lines.filter((l) => (l.msg ?? '').startsWith('request '))).toEqual([]);
    // Each line has only its own fields: the filter's line does not inherit the payment line's.
    expect(lines.find((l) => l.msg === 'backing service unavailable')).not.toHaveProperty('durationMs');
  });

  it('LOG_LEVEL=info: one access line per request with its own id and user, also for parallel requests', async () => {
    app.env.LOG_LEVEL = 'info';
    await app.start();
    newLines();
    const ids = await concurrently(30, async (i) => {
      const reqId = `trace-info-${i}`;
      const res = await send('/me/balance', 10 + i, reqId);
      expect(res.status).toBe(200);
      return reqId;
    });
    const completed = (lines: Line[]) => lines.filter((l) => l.msg === 'request completed');
    const access = completed(await linesUntil((all) => completed(all).length >= ids.length));
    expect(access).toHaveLength(ids.length);
    for (const line of access) {
      const i = Number(line.reqId!.slice('trace-info-'.length));
      expect(line).toMatchObject({ level: 30, reqId: `trace-info-${i}`, userId: 10 + i, req: { id: `trace-info-${i}` } });
    }
    const unnamed = await fetch(`${app.baseUrl}/me/balance`, { headers: { authorization: `Bearer ${app.token(USER)}` } });
    const generated = unnamed.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = completed(await linesUntil((all) => completed(all).length > 0));
    expect(line).toMatchObject({ reqId: generated, userId: USER });
  });
});
