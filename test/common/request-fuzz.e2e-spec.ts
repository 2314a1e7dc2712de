import fc from 'fast-check';
import { sample } from 'openapi-sampler';
import { PgSimulator } from '../../tools/pg-simulator';
import { parseRawResponse, rawExchange, send } from '../support/raw-http';
import type { Answer } from '../support/raw-http';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** Requests per route; raise it (FUZZ_RUNS=2000) for a longer hunt, the seed is printed on failure. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
}

interface Parameter {
  in: string;
  name: string;
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  query: string[];
  body?: Schema;
}

/**
 * A string the document says a route takes: a body property (`path` its keys, "0" standing for
 * every item of an array), a query, header or path parameter.
 */
interface TextField {
  operation: Operation;
  in: 'body' | 'query' | 'header' | 'path';
  path: string[];
  label: string;
}

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const carriesNul = (value: string) => value.includes('\0');
const carriesLoneSurrogate = (value: string) => !value.isWellFormed();

/** The body properties of `schema` that are strings (enums and formats included), as key paths. */
function stringPaths(schema: Schema, schemas: Record<string, Schema>, prefix: string[] = []): string[][] {
  const resolved = schema.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
  if (prefix.length > 6) return [];
  if (resolved.type === 'string') return [prefix];
  if (resolved.type === 'array' && resolved.items) return stringPaths(resolved.items, schemas, [...prefix, '0']);
  return Object.entries(resolved.properties ?? {}).flatMap(([key, property]) => stringPaths(property, schemas, [...prefix, key]));
}

/** Every string field of every route of the document. */
function textFields(operations: Operation[], schemas: Record<string, Schema>): TextField[] {
  return operations.flatMap((operation) => {
    const fields: Omit<TextField, 'label'>[] = [
      ...(operation.body ? stringPaths(operation.body, schemas).map((path) => ({ operation, in: 'body' as const, path })) : []),
      ...operation.parameters.filter((p) => p.schema?.type === 'string').map((p) => ({ operation, in: p.in as TextField['in'], path: [p.name] })),
    ];
    return fields.map((field) => ({ ...field, label: `${operation.method} ${operation.path} ${field.in} ${field.path.join('.')}` }));
  });
}

/** The strings found at `path` in a parsed body ("0" reaching every item of an array). */
function valuesAt(value: unknown, path: string[]): string[] {
  if (path.length === 0) return typeof value === 'string' ? [value] : [];
  const [key, ...rest] = path;
  if (key === '0' && Array.isArray(value)) return value.flatMap((item) => valuesAt(item, rest));
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return [];
  return valuesAt((value as Record<string, unknown>)[key], rest);
}

/** A copy of `body` with `text` at `path` (arrays by their first item). */
function withValueAt(body: unknown, path: string[], text: string): unknown {
  if (path.length === 0) return text;
  const [key, ...rest] = path;
  if (Array.isArray(body)) return body.map((item, i) => (i === Number(key) ? withValueAt(item, rest, text) : item));
  return { ...(body as Record<string, unknown>), [key]: withValueAt((body as Record<string, unknown>)[key], rest, text) };
}

/** Whether a 400 names the field among what it refused (the validation pipe's lines start with the field's path). */
const refusesField = (answer: Answer, path: string[]) =>
  answer.status === 400 &&
  answer.body?.code === 'VALIDATION_FAILED' &&
  (answer.body.errors ?? []).some((line: string) => line === path.join('.') || line.startsWith(`${path.join('.')} `) || line.startsWith(`${path.join('.')}:`));

/**
 * Text percent-encoded as its UTF-8 bytes, a lone surrogate as the three bytes UTF-8 would give
 * it (what encodeURIComponent refuses to make, and a careless client sends all the same).
 */
function percentEncode(text: string): string {
  let out = '';
  for (const character of text) {
    const unit = character.codePointAt(0)!;
    out +=
      unit >= 0xd800 && unit <= 0xdfff
        ? [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
        : encodeURIComponent(character);
  }
  return out;
}

/** Text as clients send it: any code point, combining marks, emoji, NUL, lone surrogates, bidi controls. */
const character = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '😀', '❤️', '\u202e', '\ufeff', "'", '"', '\\', '%', '$1') },
);
const text = fc.string({ unit: character, maxLength: 250 });
/** Text with a NUL or a lone surrogate somewhere in it: what every string field must refuse. */
const poisoned = fc.tuple(text, fc.constantFrom('\u0000', '\ud800', '\udc00'), text).map(([before, bad, after]) => `${before}${bad}${after}`);
/** Numbers at and beyond every edge the API has, written as JSON would carry them or not. */
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map((x) => (Number.isFinite(x) ? String(x) : '1e400')),
  fc.constantFrom('0', '-0', '1', '-1', '50', '51', '100', '101', '1000', '1001', '1e2', '100.0', '100.0000000000000001', '9007199254740991',
    '9007199254740992', '9007199254740993', '9223372036854775807', '1e19', '1e400', '-1e-400', '100000000', '100000001', '10000000', '1000000000'),
);
const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: character });

/** A JSON text for a schema: mostly its own property names, with values anywhere between right and absurd. */
function bodyFor(schema: Schema, schemas: Record<string, Schema>, depth = 0): fc.Arbitrary<string> {
  const resolved = schema.$ref ? schemas[schema.$ref.split('/').pop()!] : schema;
  const wild = fc.oneof(numberText, anyJson.map((v) => JSON.stringify(v)), text.map((s) => JSON.stringify(s)));
  if (depth > 3) return wild;
  if (resolved.type === 'array' && resolved.items) {
    const item = bodyFor(resolved.items, schemas, depth + 1);
    return fc.oneof({ weight: 4, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(item, { maxLength: 60 }) }).map((items) => `[${items.join(',')}]`);
  }
  if (resolved.properties) {
    const entries = Object.entries(resolved.properties).map(([key, property]) =>
      fc.option(fc.oneof({ weight: 8, arbitrary: bodyFor(property, schemas, depth + 1) }, { weight: 1, arbitrary: wild }).map((value) => `${JSON.stringify(key)}:${value}`), { nil: null, freq: 10 }),
    );
    const extra = fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.tuple(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'prototype')), wild).map(([k, v]) => `${JSON.stringify(k)}:${v}`) },
    );
    return fc.tuple(fc.tuple(...entries), extra).map(([fields, more]) => `{${[...fields, more].filter((f) => f !== null).join(',')}}`);
  }
  if (resolved.enum) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...resolved.enum).map((v) => JSON.stringify(v)) },
      { weight: 4, arbitrary: poisoned.map((s) => JSON.stringify(s)) },
      { weight: 1, arbitrary: wild },
    );
  }
  if (resolved.type === 'integer' || resolved.type === 'number') {
    return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }).map(String) }, { weight: 3, arbitrary: numberText }, { weight: 1, arbitrary: wild });
  }
  if (resolved.type === 'string') {
    // Timestamps (coupon expiry) now and then, in the future or not.
    const timestamp = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString()));
    return fc.oneof(
      { weight: 8, arbitrary: text.map((s) => JSON.stringify(s)) },
      { weight: 6, arbitrary: poisoned.map((s) => JSON.stringify(s)) },
      { weight: 2, arbitrary: timestamp },
      { weight: 1, arbitrary: wild },
    );
  }
  return wild;
}

/** Bodies that are not what any route expects: broken JSON, bare values, deep nesting, another encoding. */
const oddBody = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  anyJson.map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.constantFrom('', '{', '[', 'null', '"x"', '1', '{"a":1,"a":2}', '\ufeff{}', '{"__proto__":{"x":1}}'),
);

const segment = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map(String),
  numberText,
  text.map(percentEncode),
  fc.constantFrom('0', '-1', '1e3', '%00', '1%0A', '..', '%2e%2e', 'top'),
);

/** Query parameters as name and value pairs, the route's own names most of the time. */
const queryPairs = (names: string[]) => {
  const name = fc.oneof(
    ...(names.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...names) }] : []),
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'page', 'size') },
    { weight: 1, arbitrary: text },
  );
  return fc.array(fc.tuple(name, fc.oneof(numberText, text, poisoned, poisoned)), { maxLength: 6 });
};
const queryString = (pairs: [string, string][]) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

/**
 * Random JSON values, depths, sizes and unicode into every route of the OpenAPI document, body
 * and query: whatever arrives, the answer is never a 5xx, and every refusal has the contract's
 * error shape with its own status and a short body. Every string field the document lists is
 * text to Postgres: NUL and lone surrogates are refused with 400 before anything stores them.
 * Card payments go to a gateway simulator, so that a paymentKey reaches as far as it can.
 */
describe('fuzzing every route (e2e)', () => {
  const pg = new PgSimulator({ secretKey: 'test_sk_fuzz' });
  let t: TestApp;
  let document: { paths: object; components: { schemas: Record<string, Schema> } };
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  let fields: TextField[];

  beforeAll(async () => {
    await pg.start();
    t = await createTestApp({
      env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0', PG_BASE_URL: pg.url, PG_SECRET_KEY: 'test_sk_fuzz', PG_TIMEOUT_MS: '2000', PG_RECONCILE_INTERVAL_MS: '0' },
    });
    const admin = { authorization: `Bearer ${t.token(99, 'admin')}` };
    // Something to find: products, a coupon, and a PENDING order of user 1. The database is this
    // file's own, so they are number 1: the id the sampled requests of the text probes name.
    for (let i = 0; i < 3; i++) {
      await send(t.baseUrl, 'POST', '/admin/products', { body: JSON.stringify({ name: `p${i}`, price: 100, options: [{ name: 'a', stock: 100 }, { name: 'b', stock: 100 }] }), headers: admin });
    }
    await send(t.baseUrl, 'POST', '/admin/coupons', { body: JSON.stringify({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 100 }), headers: admin });
    const order = await send(t.baseUrl, 'POST', '/orders', { body: JSON.stringify({ items: [{ productOptionId: 1, quantity: 1 }] }), headers: bearer(t.token(1)) });
    expect({ status: order.status, id: order.body.id }).toEqual({ status: 201, id: 1 });
    document = (await send(t.baseUrl, 'GET', '/docs-json')).body;
    schemas = document.components.schemas;
    operations = Object.entries(document.paths as Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          parameters: op.parameters ?? [],
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
          body: op.requestBody?.content['application/json']?.schema,
        })),
    );
    fields = textFields(operations, schemas);
  });
  afterAll(async () => {
    await t.close();
    await pg.stop();
  });

  it('covers every documented route and every string field', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    // Read from the document, so a route added later is covered without naming it here; these
    // show that the reading finds fields in bodies (nested in arrays too), queries and headers.
    expect(fields.map((f) => f.label)).toEqual(
      expect.arrayContaining([
        'POST /payments body paymentKey',
        'POST /admin/products body options.0.name',
        'POST /admin/orders/{id}/refunds body reason',
        'GET /me/balance/logs query cursor',
        'POST /payments header Idempotency-Key',
      ]),
    );
  });

  /**
   * For each string field: a request the document's schemas and examples make (openapi-sampler),
   * which the route takes as far as its business rules, then the same with NUL and with a lone
   * surrogate in that field, which must be refused with 400 naming the field. In a URL or a
   * header a lone surrogate cannot arrive as such (its bytes are decoded as U+FFFD or Latin-1):
   * there it must not break anything.
   */
  it('refuses NUL and lone surrogates in every string field of every route with 400 VALIDATION_FAILED naming the field', async () => {
    const problems: string[] = [];
    for (const field of fields) {
      const { operation } = field;
      const token = t.token(1, operation.path.startsWith('/admin') ? 'admin' : 'user');
      const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => (field.in === 'path' && field.path[0] === name ? '%s' : '1'));
      const body = operation.body ? sample(operation.body as never, { skipReadOnly: true }, document) : undefined;
      const request = async (value: string): Promise<Answer> => {
        const url = field.in === 'path' ? path.replace('%s', percentEncode(value)) : field.in === 'query' ? `${path}?${field.path[0]}=${percentEncode(value)}` : path;
        const json = body === undefined ? undefined : JSON.stringify(field.in === 'body' ? withValueAt(body, field.path, value) : body);
        if (field.in !== 'header') return send(t.baseUrl, operation.method, url, { body: json, headers: bearer(token) });
        return sendWithRawHeader(t, operation.method, url, token, json, field.path[0], value);
      };
      const parameter = operation.parameters.find((p) => p.in === field.in && p.name === field.path[0]);
      const fine = await request(String(field.in === 'body' ? valuesAt(body, field.path)[0] : sample(parameter!.schema as never, {}, document)));
      if (fine.status >= 500 || refusesField(fine, field.path)) problems.push(`${field.label}: the sampled request itself answered ${fine.status} ${fine.text.slice(0, 200)}`);
      for (const [what, value] of [['NUL', NUL], ['a lone surrogate', LONE_SURROGATE]] as const) {
        const answer = await request(value);
        const arrivesAsIs = field.in === 'body' || what === 'NUL';
        const refused = field.in === 'header' ? answer.status === 400 && answer.body?.code === 'VALIDATION_FAILED' : refusesField(answer, field.path);
        if (answer.status >= 500 || (arrivesAsIs && !refused)) problems.push(`${field.label} with ${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('never answers 5xx, every refusal is { statusCode, code, message[, errors] } with its own status, and NUL or a lone surrogate in a string field is a 400', async () => {
    /** How many requests carried NUL, and a lone surrogate, in each body and query string field. */
    const carried = new Map(fields.filter((f) => f.in === 'body' || f.in === 'query').map((f) => [f.label, { nul: 0, surrogate: 0 }]));
    for (const operation of operations) {
      const own = fields.filter((f) => f.operation === operation && (f.in === 'body' || f.in === 'query'));
      const body = operation.body
        ? fc.oneof({ weight: 4, arbitrary: bodyFor(operation.body, schemas) }, { weight: 1, arbitrary: oddBody })
        : operation.method === 'GET'
          ? fc.constant(undefined)
          : fc.option(oddBody, { nil: undefined });
      const key = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 300 }) });
      const user = fc.integer({ min: 1, max: 4 });
      const segments = operation.path.match(/\{[^}]+\}/g) ?? [];
      const property = fc.asyncProperty(fc.tuple(...segments.map(() => segment)), queryPairs(operation.query), body, key, user, async (ids, pairs, json, idempotencyKey, userId) => {
        const qs = queryString(pairs);
        let path = operation.path;
        ids.forEach((id, i) => (path = path.replace(segments[i], id || '1')));
        const role = operation.path.startsWith('/admin') ? 'admin' : 'user';
        const headers: Record<string, string> = { authorization: `Bearer ${t.token(userId, role)}` };
        if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
        const answer = await send(t.baseUrl, operation.method, `${path}${qs ? `?${qs}` : ''}`, { body: json, headers });
        const where = `${operation.method} ${path}?${qs} ${String(json).slice(0, 200)} -> ${answer.status} ${answer.text.slice(0, 300)}`;
        if (answer.status >= 500) throw new Error(`5xx: ${where}`);
        let parsed: unknown;
        try {
          parsed = json === undefined ? undefined : JSON.parse(json);
        } catch {
          parsed = undefined;
        }
        for (const field of own) {
          const values = field.in === 'body' ? valuesAt(parsed, field.path) : pairs.filter(([k]) => k === field.path[0]).map(([, v]) => v);
          const nul = values.some(carriesNul);
          const surrogate = values.some(carriesLoneSurrogate);
          const count = carried.get(field.label)!;
          count.nul += Number(nul);
          count.surrogate += Number(surrogate);
          // In a query a lone surrogate arrives as U+FFFD (its bytes are not UTF-8): only NUL must be refused there.
          // A path that names no route (a segment such as "..") is answered 404 NOT_FOUND before anything reads the request.
          const routed = answer.body?.code !== 'NOT_FOUND';
          if (routed && (nul || (surrogate && field.in === 'body')) && answer.status !== 400) throw new Error(`${field.label} carried ${nul ? 'NUL' : 'a lone surrogate'}: ${where}`);
        }
        if (answer.status >= 400) {
          // Fields some codes add (CARD_DECLINED's pgCode) are held to what the document declares,
          // as every answer is (test/support/openapi-contract.ts).
          const { statusCode, code, message, errors, ...extra } = answer.body ?? {};
          const shaped =
            statusCode === answer.status &&
            typeof code === 'string' &&
            /^[A-Z][A-Z_]*$/.test(code) &&
            typeof message === 'string' &&
            (errors === undefined || (Array.isArray(errors) && errors.every((e: unknown) => typeof e === 'string'))) &&
            Object.values(extra).every((value) => typeof value === 'string');
          if (!shaped) throw new Error(`not the contract's error shape: ${where}`);
          if (answer.text.length > 4_000) throw new Error(`error body of ${answer.text.length} bytes: ${where.slice(0, 300)}`);
        }
      });
      await fc.assert(property, { numRuns: RUNS, endOnFailure: true });
    }
    const missed = [...carried].filter(([, count]) => count.nul === 0 || count.surrogate === 0).map(([label, count]) => `${label}: ${JSON.stringify(count)}`);
    expect(missed).toEqual([]);
  });
});

/**
 * One request over a socket of its own with `header: value` written as raw bytes: fetch refuses
 * to send NUL in a header, and a lone surrogate goes as the three bytes UTF-8 would give it.
 */
async function sendWithRawHeader(t: TestApp, method: string, path: string, token: string, json: string | undefined, header: string, value: string): Promise<Answer> {
  const body = Buffer.from(json ?? '');
  // The value's bytes as percentEncode spells them, each %XX one byte.
  const headerBytes = Buffer.from(percentEncode(value).replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  const head = Buffer.from(
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n${header}: `,
    'latin1',
  );
  const { port } = new URL(t.baseUrl);
  const { received } = await rawExchange(Number(port), (socket) => void socket.write(Buffer.concat([head, headerBytes, Buffer.from('\r\n\r\n'), body])), 5_000);
  const { status, body: parsed } = parseRawResponse(received);
  return { status, text: received.split('\r\n\r\n').slice(1).join('\r\n\r\n'), body: parsed, ms: 0 };
}
