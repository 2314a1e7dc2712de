import { ApiResponse } from '@nestjs/swagger';
import { DECORATORS } from '@nestjs/swagger/dist/constants';
import type { ErrorClass } from '../errors/domain-error';
import { errorResponseSchema } from './error-schema';

type Declared = Record<string, { schema?: { properties?: { code?: { enum?: string[] } } } }>;

/**
 * Documents the errors a route can answer, grouped by the status each error class declares, e.g.
 * `@ApiErrors(ValidationFailedError, ProductNotFoundError)`. Several uses on one route merge, so
 * a shared decorator (such as @Idempotent) adds its codes to a status the route already lists.
 * 503 applies to every route and is documented once, globally.
 */
export function ApiErrors(...errors: ErrorClass[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const { code, status } of errors) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = descriptor ? descriptor.value : target;
    const declared: Declared = Reflect.getMetadata(DECORATORS.API_RESPONSE, holder) ?? {};
    for (const [status, list] of byStatus) {
      const merged = [...new Set([...(declared[status]?.schema?.properties?.code?.enum ?? []), ...list])];
      ApiResponse({ status, description: merged.join(' | '), schema: errorResponseSchema(merged) })(target, key as string, descriptor!);
    }
  };
}
