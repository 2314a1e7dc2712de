import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { IdempotencyKeyInUseError, IdempotencyKeyMismatchError } from './idempotency.errors';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_OPTIONS, IdempotentOptions } from './idempotent-options';

/** Makes a route safe to retry with an `Idempotency-Key` header (see IdempotencyInterceptor). */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_OPTIONS, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        '1..255 printable ASCII characters, unique per attempt of one operation and kept 24 h per user. A retry with the ' +
        'same key and the same request returns the first response (header Idempotent-Replayed: true) without doing the ' +
        'work again; business errors are replayed too, 400/401/403 and 5xx are not stored.',
    }),
    ApiErrors(IdempotencyKeyInUseError, IdempotencyKeyMismatchError),
  );
}
