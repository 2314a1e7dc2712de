import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The contract's error body, with the codes a route can answer listed as an enum. */
export function errorResponseSchema(codes: string[]): SchemaObject {
  return {
    type: 'object',
    required: ['statusCode', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer' },
      code: { type: 'string', enum: codes },
      message: { type: 'string' },
      errors: { type: 'array', items: { type: 'string' } },
    },
  };
}
