import type { IncomingMessage, ServerResponse } from 'node:http';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NextFunction } from 'express';

/** An OpenAPI 3.0 document as this module reads it. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }> }>;
}

export type Schema = Record<string, unknown>;

/** One exchange as the client saw it. */
export interface Exchange {
  method: string;
  /** The request's path and query, as sent. */
  url: string;
  /** Whether the request carried an Authorization header. */
  authorized: boolean;
  status: number;
  contentType: string | undefined;
  body: string;
}

interface Route {
  template: string;
  pattern: RegExp;
  /** How many segments are parameters: a literal path (/products/top) wins over a template (/products/{id}). */
  parameters: number;
  operations: Record<string, Operation>;
}

const COMPONENT = 'urn:openapi:components:';
/**
 * What a request for a route the document does not have may answer: 404 (API.md: "a route that
 * does not exist answers 404, whatever the token"), or a refusal of its body by the HTTP edge,
 * which reads bodies before any route is looked up.
 */
const NO_SUCH_ROUTE: Readonly<Record<number, string>> = { 404: 'NOT_FOUND', 400: 'VALIDATION_FAILED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/**
 * Every answer checked against the OpenAPI document, as a client generated from it or a
 * validating proxy would read it: the route (method and path template) is in the document, the
 * status is one it declares for that operation, the media type is one it declares, and the body
 * matches that response's schema. The schemas are read strictly: an object may hold no property
 * its schema does not name (a field the code adds and the document forgets is drift too), and ajv
 * runs in strict mode, so a schema ajv cannot read fails here rather than passing anything.
 */
export class OpenApiContract {
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: true, allErrors: true });
  private readonly errorBody: ValidateFunction;

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    // OpenAPI 3.0's annotations beside JSON Schema's (nullable is one ajv knows).
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs']);
    this.errorBody = this.ajv.compile({
      type: 'object',
      required: ['statusCode', 'code', 'message'],
      properties: { statusCode: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' }, errors: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    });
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) this.ajv.addSchema(closed(schema), `${COMPONENT}${name}`);
    this.routes = Object.entries(document.paths)
      .map(([template, operations]) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        parameters: (template.match(/\{/g) ?? []).length,
        operations,
      }))
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** What the document says is wrong with this exchange; null when it describes it. */
  violation(exchange: Exchange): string | null {
    const path = exchange.url.split('?')[0].replace(/(.)\/+$/, '$1');
    const where = `${exchange.method} ${exchange.url.slice(0, 200)} answered ${exchange.status}`;
    // The documentation itself (/docs, /docs-json, the AsyncAPI document, the UI's assets) is not an operation of the API.
    if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-')) return null;
    const route = this.routes.find((r) => r.pattern.test(path));
    const method = exchange.method.toLowerCase() === 'head' ? 'get' : exchange.method.toLowerCase();
    const operation = route?.operations[method];
    if (!operation) return this.isNoSuchRoute(exchange) ? null : `${where}, but the document has no such operation`;
    const id = `${method.toUpperCase()} ${route.template}`;
    const status = String(exchange.status);
    const response = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
    if (!response) return `${where}: ${id} does not declare ${status} (it declares ${Object.keys(operation.responses).join(', ')})`;
    if (exchange.status < 300 && !exchange.authorized && operation.security?.some((requirement) => Object.keys(requirement).length > 0)) {
      return `${where} without a token, but the document says ${id} needs one`;
    }
    if (!response.content) return exchange.body === '' || exchange.method.toLowerCase() === 'head' ? null : `${where} with a body, but ${id} declares none for ${status}: ${exchange.body.slice(0, 300)}`;
    const mediaType = exchange.contentType?.split(';')[0].trim().toLowerCase() ?? '';
    const media = response.content[mediaType];
    if (!media) return `${where} as ${mediaType || 'no media type'}, but ${id} declares ${Object.keys(response.content).join(', ')} for ${status}`;
    if (!media.schema || exchange.method.toLowerCase() === 'head') return null;
    let body: unknown = exchange.body;
    if (mediaType === 'application/json') {
      try {
        body = JSON.parse(exchange.body);
      } catch {
        return `${where}: the body is not JSON: ${exchange.body.slice(0, 300)}`;
      }
    }
    const validate = this.validator(`${id} ${status} ${mediaType}`, media.schema);
    if (validate(body)) return null;
    const problems = validate.errors!.slice(0, 10).map((e) => `  ${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
    return `${where}: the body does not match ${id}'s ${status} schema\n${problems.join('\n')}\n  body: ${exchange.body.slice(0, 500)}`;
  }

  private isNoSuchRoute({ status, body }: Exchange): boolean {
    try {
      const parsed = JSON.parse(body) as { statusCode?: unknown; code?: unknown };
      return this.errorBody(parsed) && parsed.statusCode === status && parsed.code === NO_SUCH_ROUTE[status];
    } catch {
      return false;
    }
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) this.validators.set(key, (validate = this.ajv.compile(closed(schema))));
    return validate;
  }
}

/**
 * A copy of `schema` with component references pointing at the schemas added to ajv, and every
 * object schema that lists its properties closed to others (additionalProperties: false). No
 * schema of the document combines object schemas with allOf, which closing each would break.
 */
function closed(schema: unknown): Schema {
  if (Array.isArray(schema)) return schema.map(closed) as unknown as Schema;
  if (schema === null || typeof schema !== 'object') return schema as Schema;
  const copy: Schema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (key === '$ref' && typeof value === 'string') return [key, value.replace('#/components/schemas/', COMPONENT)];
      if (key === 'properties' && value && typeof value === 'object') return [key, Object.fromEntries(Object.entries(value).map(([name, property]) => [name, closed(property)]))];
      if (key === 'example' || key === 'default' || key === 'enum') return [key, value];
      return [key, closed(value)];
    }),
  );
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

/** The answers of the test app that the document does not describe, for the test that got them (see openapi-contract.setup.ts). */
export const undescribedAnswers: string[] = [];

/**
 * Express middleware that checks every answer the app gives, whoever asked (supertest, fetch,
 * a raw socket), against the document, and records each one it does not describe: the answer
 * itself goes out unchanged.
 */
export function checkAnswers(contract: OpenApiContract) {
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk, rest[0]);
      const found = contract.violation({
        method: req.method ?? 'GET',
        url: req.originalUrl ?? req.url ?? '/',
        authorized: req.headers.authorization !== undefined,
        status: res.statusCode,
        contentType: res.getHeader('content-type')?.toString(),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (found) undescribedAnswers.push(found);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    next();
  };
}
