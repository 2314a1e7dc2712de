import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The fields every error body has; any other is one that some codes add (`extra`). */
const BODY_FIELDS = {
  statusCode: { type: 'integer' },
  message: { type: 'string' },
  errors: { type: 'array', items: { type: 'string' }, description: 'What was refused, one line each (VALIDATION_FAILED)' },
} as const;

/**
 * The contract's error body, with the codes a route can answer listed as an enum, and the
 * fields some of those codes add (name → description, e.g. CARD_DECLINED's pgCode).
 */
export function errorResponseSchema(codes: string[], extra: Readonly<Record<string, string>> = {}): SchemaObject {
  return {
    type: 'object',
    required: ['statusCode', 'code', 'message'],
    properties: {
      statusCode: BODY_FIELDS.statusCode,
      code: { type: 'string', enum: codes },
      message: BODY_FIELDS.message,
      errors: BODY_FIELDS.errors,
      ...Object.fromEntries(Object.entries(extra).map(([name, description]) => [name, { type: 'string', description }])),
    },
  };
}

/** The extra fields an error schema made by errorResponseSchema lists, to merge more codes into it. */
export function extraFieldsOf(schema: SchemaObject | undefined): Record<string, string> {
  const properties = (schema?.properties ?? {}) as Record<string, SchemaObject>;
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([name]) => name !== 'code' && !(name in BODY_FIELDS))
      .map(([name, property]) => [name, property.description ?? '']),
  );
}
