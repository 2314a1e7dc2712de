import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS } from '../errors/error-status';
import { errorResponseSchema } from './error-schema';

/**
 * Documents the error codes a route can answer, grouped by status, e.g.
 * `@ApiErrors('VALIDATION_FAILED', 'PRODUCT_NOT_FOUND')`. 401 is added for authenticated routes
 * by ApiAuthErrors; 503 applies to every route and is documented once, globally.
 */
export function ApiErrors(...codes: string[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    if (status === undefined) throw new Error(`unknown error code ${code}`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({ status, description: list.join(' | '), schema: errorResponseSchema(list) }),
    ),
  );
}
