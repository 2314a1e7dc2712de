import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { Observable, lastValueFrom, of } from 'rxjs';
import type { AuthUser } from '../../auth/auth-user';
import { UnitOfWork } from '../../database/unit-of-work';
import { DomainError } from '../../errors/domain-error';
import { toErrorBody } from '../error-body';
import { requestFingerprint } from './fingerprint';
import { IdempotencyKeyInUseError, IdempotencyKeyMismatchError, InvalidIdempotencyKeyError } from './idempotency.errors';
import { IdempotencyKeyRef, IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotentReplay } from './idempotent-replay';
import { IdempotentRequest } from './idempotent-request';
import { IDEMPOTENT_OPTIONS, IdempotentOptions } from './idempotent-options';

const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;

/**
 * Idempotency-Key for one route (apply it with @Idempotent()). A stored answer is replayed
 * before anything else runs. Otherwise the request joins the use case's unit of work (see
 * IdempotentRequest): the key is claimed inside the use case's transaction and the response is
 * stored in it, so the work and its record commit together and a crash leaves neither. A
 * business error is stored after the rollback; a client error it can fix, a server error or a
 * retryable refusal stores nothing, so a retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly reflector: Reflector,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(IdempotencyInterceptor.name);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const key = readKey(req.headers['idempotency-key']);
    if (key === null) return next.handle();

    const ref = { userId: req.user.id, key };
    const fingerprint = requestFingerprint({ method: req.method, path: req.originalUrl, body: req.body });
    const fixed = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    const declared = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT_OPTIONS, context.getHandler())?.statusOf;
    const statusOf = (declared as ((answer: unknown) => number) | undefined) ?? (() => fixed);
    const request = new IdempotentRequest(ref, fingerprint, statusOf, this.keys, this.logger);
    await request.checkStored();
    this.unitOfWork.enlist(request);
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      request.assertAnswered(body);
      return of(body);
    } catch (error) {
      await this.storeFailure(request, ref, fingerprint, error);
      throw error;
    }
  }

  /**
   * After the rollback: a business error is the answer to this key and is replayed like a
   * success. Anything else stores nothing, and a key the request held is let go, so that a retry
   * runs again.
   */
  private async storeFailure(request: IdempotentRequest, ref: IdempotencyKeyRef, fingerprint: string, error: unknown): Promise<void> {
    if (error instanceof IdempotentReplay || error instanceof IdempotencyKeyMismatchError || error instanceof IdempotencyKeyInUseError) return;
    const body = toErrorBody(error);
    const stored = !(error instanceof DomainError && error.retryable) && ![400, 401, 403].includes(body.statusCode) && body.statusCode < 500;
    try {
      if (stored) await this.keys.complete(ref, fingerprint, { status: body.statusCode, body });
      else await request.letGo();
    } catch (storeError) {
      // A hold that could not be let go runs out by itself; an answer not stored means a retry runs again.
      this.logger.warn({ err: storeError, idempotencyKey: ref.key }, 'could not store the error answer of an idempotent request');
    }
  }
}

/** The header's key, null when absent; anything but 1..255 printable ASCII is refused. */
function readKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== 'string' || !KEY_FORMAT.test(header)) throw new InvalidIdempotencyKeyError();
  return header;
}

