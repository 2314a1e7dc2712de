import { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ResponseObject, TagObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { THROTTLER_SKIP } from '@nestjs/throttler/dist/throttler.constants';
import { IS_PUBLIC } from '../auth/auth.decorators';
import { errorResponseSchema } from './error-schema';

const BEARER = 'bearer';
/** The name AppModule's ThrottlerModule gives its one limit (the throttler's default). */
const THROTTLER_NAME = 'default';
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } };

/** Answers every route may give besides its own, each in the contract's error shape. */
const EVERY_ROUTE: ReadonlyArray<[status: number, code: string, description: string]> = [
  [400, 'VALIDATION_FAILED', 'VALIDATION_FAILED: a header that must appear once (Authorization, Idempotency-Key) appeared twice, or the body or the URL is malformed'],
  [413, 'PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE: a body over 100 kB (after decompression)'],
  [415, 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE: a body not in UTF-8 or with an unknown Content-Encoding'],
  [500, 'INTERNAL_ERROR', 'INTERNAL_ERROR: an unexpected fault; the body says no more'],
  [503, 'SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE: Postgres or Redis is unreachable; retry shortly'],
];

interface Route {
  controller: Function;
  handler: Function;
}

const operationIdOf = (controller: string, method: string) => `${controller}_${method}`;

/**
 * The OpenAPI document of the routes `app` holds; the app need not be initialised nor connected
 * (scripts/openapi.js builds it in Nest's preview mode). Besides what the controllers' decorators
 * say, every operation gets from the metadata the guards read what they enforce, so that the
 * document cannot say otherwise: the bearer token unless @Public() (and then 401), 429 unless
 * @SkipThrottle(), and the refusals of the HTTP edge that any route may answer (EVERY_ROUTE).
 */
export function buildOpenApiDocument(app: INestApplication, tags: TagObject[]): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Shop payments API')
    .setDescription(
      'Orders, stock, coupons and balance payments. Every error body is { statusCode, code, message }. ' +
        'Any route that needs Postgres or Redis answers 503 SERVICE_UNAVAILABLE while one of them is unreachable. ' +
        'Any route may also answer, in the same shape: 408 REQUEST_TIMEOUT (a request not received within the server\'s timeouts), ' +
        '413 PAYLOAD_TOO_LARGE (a body over 100 kB), 415 UNSUPPORTED_MEDIA_TYPE (a body not in UTF-8 or with an unknown Content-Encoding) ' +
        'and 431 REQUEST_HEADER_FIELDS_TOO_LARGE (headers over 16 kB). ' +
        'Identity comes from an upstream identity provider as a bearer JWT (HS256): `sub` is the user id, `role` is `user` or `admin`.',
    )
    .setVersion('1')
    .addServer('/', 'The host serving this document (the service listens on PORT, 3000 by default)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256, signed with JWT_SECRET by the identity provider' }, BEARER);
  for (const tag of tags) builder.addTag(tag.name, tag.description);
  const config = builder.build();
  // Set here rather than with setContact and setLicense, which would add empty url and email fields.
  config.info.contact = { name: 'shop-payments team' };
  config.info.license = { name: 'UNLICENSED: proprietary, no licence is granted' };
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationIdOf });
  const routes = routesOf(app);
  const reflector = new Reflector();
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as OperationObject[]) {
      const route = routes.get(operation.operationId!);
      if (!route) throw new Error(`no route found for the operation ${operation.operationId}`);
      const targets = [route.handler, route.controller];
      const isPublic = reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true;
      operation.security = isPublic ? [] : [{ [BEARER]: [] }];
      if (!isPublic) addError(operation, 401, 'UNAUTHORIZED', 'UNAUTHORIZED: a missing, malformed, wrongly signed or expired bearer token');
      if (!reflector.getAllAndOverride<boolean | undefined>(THROTTLER_SKIP + THROTTLER_NAME, targets)) {
        addError(operation, 429, 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS: over RATE_LIMIT_PER_MINUTE requests from this client (only when that is set)');
      }
      for (const [status, code, description] of EVERY_ROUTE) addError(operation, status, code, description);
      for (const status of [429, 503]) {
        const response = operation.responses[status] as ResponseObject | undefined;
        if (response) response.headers ??= RETRY_AFTER;
      }
      for (const parameter of (operation.parameters ?? []) as ParameterObject[]) documentIdParameter(parameter);
    }
  }
  return document;
}

/** Serves the OpenAPI UI at /docs and `document` at /docs-json. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** Each route's handler and controller class, by the operation id the document gives it. */
function routesOf(app: INestApplication): Map<string, Route> {
  const scanner = new MetadataScanner();
  const routes = new Map<string, Route>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      for (const name of scanner.getAllMethodNames(metatype.prototype)) {
        const handler = metatype.prototype[name] as Function;
        if (Reflect.hasMetadata(PATH_METADATA, handler)) routes.set(operationIdOf(metatype.name, name), { controller: metatype, handler });
      }
    }
  }
  return routes;
}

/** Adds `code` to the operation's answer of `status`, creating it with `description` when the route declares none. */
function addError(operation: OperationObject, status: number, code: string, description: string): void {
  const existing = operation.responses[status] as ResponseObject | undefined;
  const codes = (existing?.content?.['application/json']?.schema as { properties?: { code?: { enum?: string[] } } } | undefined)?.properties?.code?.enum;
  if (!existing || !codes) {
    operation.responses[status] = { ...existing, description: existing?.description || description, content: { 'application/json': { schema: errorResponseSchema([code]) } } };
  } else if (!codes.includes(code)) {
    codes.push(code);
    existing.description = `${existing.description} | ${code}`;
  }
}

/** Path parameters are ids read by IdParamPipe (API.md, Limits): integers 1 .. 2^53 − 1, not any number. */
function documentIdParameter(parameter: ParameterObject): void {
  if (parameter.in !== 'path' || (parameter.schema as { type?: string } | undefined)?.type !== 'number') return;
  parameter.schema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
  parameter.description ??= 'A positive integer id';
}
