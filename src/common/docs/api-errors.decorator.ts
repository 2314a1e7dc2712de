import { ApiResponse } from '@nestjs/swagger';
import { DECORATORS } from '@nestjs/swagger/dist/constants';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { ErrorClass } from '../errors/domain-error';
import { errorResponseSchema, extraFieldsOf } from './error-schema';

type Declared = Record<string, { schema?: SchemaObject & { properties?: { code?: { enum?: string[] } } } }>;

/**
 * Documents the errors a route can answer, grouped by the status each error class declares, e.g.
 * `@ApiErrors(ValidationFailedError, ProductNotFoundError)`. Several uses on one route merge, so
 * a shared decorator (such as @Idempotent) adds its codes to a status the route already lists.
 * What every route may answer (401, 429, 5xx, the HTTP edge's refusals) is added to each route
 * when the document is built (buildOpenApiDocument).
 */
export function ApiErrors(...errors: ErrorClass[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorClass[]>();
  for (const error of errors) byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = descriptor ? descriptor.value : target;
    const declared: Declared = Reflect.getMetadata(DECORATORS.API_RESPONSE, holder) ?? {};
    for (const [status, list] of byStatus) {
      const previous = declared[status]?.schema;
      const codes = [...new Set([...(previous?.properties?.code?.enum ?? []), ...list.map((e) => e.code)])];
      const extra = Object.assign(extraFieldsOf(previous), ...list.map((e) => e.extraFields ?? {}));
      ApiResponse({ status, description: codes.join(' | '), schema: errorResponseSchema(codes, extra) })(target, key as string, descriptor!);
    }
  };
}
