import { Global, Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { PurgeIdempotencyKeysJob } from './purge-idempotency-keys.job';

/** Global, so any module's controller can use @Idempotent() without importing this module. */
@Global()
@Module({
  providers: [IdempotencyKeyRepository, IdempotencyInterceptor, PurgeIdempotencyKeysJob],
  exports: [IdempotencyKeyRepository, IdempotencyInterceptor],
})
export class IdempotencyModule {}
