import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error';
import { oversizeViolations } from './request-shape';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m.replace(e.property, path) : `${path}: ${m}`));
    return own.concat(flatten(e.children ?? [], path));
  });
}

/**
 * Strict by design: unknown properties, wrong types (no implicit string-to-number conversion in
 * bodies) and out-of-range values are all 400 VALIDATION_FAILED. Query DTOs convert explicitly.
 */
class StrictValidationPipe extends ValidationPipe {
  /** A request too big to validate item by item is refused by its size first (see oversizeViolations). */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && (metadata.type === 'body' || metadata.type === 'query')) {
      const violations = oversizeViolations(metadata.metatype, value);
      if (violations.length > 0) throw new ValidationFailedError('Validation failed', violations);
    }
    return super.transform(value, metadata);
  }

  /** Path params reach IdParamPipe as the text the client sent, so "1e3" or "abc" are refused, not coerced. */
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError('Validation failed', flatten(errors)),
  });
}
