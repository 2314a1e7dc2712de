import fc from 'fast-check';
import { send } from '../support/raw-http';
import { createTestApp, TestApp } from '../support/test-app';

/** Requests per route; raise it (FUZZ_RUNS=2000) for a longer hunt, the seed is printed on failure. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
}

interface Operation {
  method: string;
  path: string;
  query: string[];
  body?: Schema;
}

/** Text as clients send it: any code point, combining marks, emoji, NUL, lone surrogates, bidi controls. */
const character = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '😀', '❤️', '\u202e', '\ufeff', "'", '"', '\\', '%', '$1') },
);
const text = fc.string({ unit: character, maxLength: 250 });
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
  if (resolved.enum) return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...resolved.enum).map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: wild });
  if (resolved.type === 'integer' || resolved.type === 'number') {
    return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }).map(String) }, { weight: 3, arbitrary: numberText }, { weight: 1, arbitrary: wild });
  }
  if (resolved.type === 'string') {
    // Timestamps (coupon expiry) now and then, in the future or not.
    const timestamp = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString()));
    return fc.oneof({ weight: 8, arbitrary: text.map((s) => JSON.stringify(s)) }, { weight: 2, arbitrary: timestamp }, { weight: 1, arbitrary: wild });
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
  text.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
  fc.constantFrom('0', '-1', '1e3', '%00', '1%0A', '..', '%2e%2e', 'top'),
);

const query = (names: string[]) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names, '__proto__', 'constructor', 'page', 'size'), text), fc.oneof(numberText, text)), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, 'x'))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, 'x'))}`).join('&'));

/**
 * Random JSON values, depths, sizes and unicode into every route of the OpenAPI document, body
 * and query: whatever arrives, the answer is never a 5xx, and every refusal has the contract's
 * error shape with its own status and a short body.
 */
describe('fuzzing every route (e2e)', () => {
  let t: TestApp;
  let operations: Operation[];
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' } });
    const admin = { authorization: `Bearer ${t.token(99, 'admin')}` };
    // Something to find: products, a coupon, an order and a payment.
    for (let i = 0; i < 3; i++) {
      await send(t.baseUrl, 'POST', '/admin/products', { body: JSON.stringify({ name: `p${i}`, price: 100, options: [{ name: 'a', stock: 100 }, { name: 'b', stock: 100 }] }), headers: admin });
    }
    await send(t.baseUrl, 'POST', '/admin/coupons', { body: JSON.stringify({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 100 }), headers: admin });
    const docs = (await send(t.baseUrl, 'GET', '/docs-json')).body;
    schemas = docs.components.schemas;
    operations = Object.entries(docs.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
          body: op.requestBody?.content['application/json']?.schema,
        })),
    );
  });
  afterAll(() => t.close());

  it('covers every documented route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
  });

  it('never answers 5xx, and every refusal is { statusCode, code, message[, errors] } with its own status', async () => {
    for (const operation of operations) {
      const body = operation.body
        ? fc.oneof({ weight: 4, arbitrary: bodyFor(operation.body, schemas) }, { weight: 1, arbitrary: oddBody })
        : operation.method === 'GET'
          ? fc.constant(undefined)
          : fc.option(oddBody, { nil: undefined });
      const key = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 300 }) });
      const user = fc.integer({ min: 1, max: 4 });
      const segments = operation.path.match(/\{[^}]+\}/g) ?? [];
      const property = fc.asyncProperty(fc.tuple(...segments.map(() => segment)), query(operation.query), body, key, user, async (ids, qs, json, idempotencyKey, userId) => {
        let path = operation.path;
        ids.forEach((id, i) => (path = path.replace(segments[i], id || '1')));
        const role = operation.path.startsWith('/admin') ? 'admin' : 'user';
        const headers: Record<string, string> = { authorization: `Bearer ${t.token(userId, role)}` };
        if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
        const answer = await send(t.baseUrl, operation.method, `${path}${qs ? `?${qs}` : ''}`, { body: json, headers });
        const where = `${operation.method} ${path}?${qs} ${String(json).slice(0, 200)} -> ${answer.status} ${answer.text.slice(0, 300)}`;
        if (answer.status >= 500) throw new Error(`5xx: ${where}`);
        if (answer.status >= 400) {
          const { statusCode, code, message, errors, ...rest } = answer.body ?? {};
          const shaped =
            statusCode === answer.status &&
            typeof code === 'string' &&
            /^[A-Z][A-Z_]*$/.test(code) &&
            typeof message === 'string' &&
            (errors === undefined || (Array.isArray(errors) && errors.every((e: unknown) => typeof e === 'string'))) &&
            Object.keys(rest).length === 0;
          if (!shaped) throw new Error(`not the contract's error shape: ${where}`);
          if (answer.text.length > 4_000) throw new Error(`error body of ${answer.text.length} bytes: ${where.slice(0, 300)}`);
        }
      });
      await fc.assert(property, { numRuns: RUNS, endOnFailure: true });
    }
  });
});
