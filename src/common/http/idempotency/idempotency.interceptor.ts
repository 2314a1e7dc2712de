import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { Observable, lastValueFrom, of } from 'rxjs';
import type { AuthUser } from '../../auth/auth-user';
import { toErrorBody } from '../error-body';
import { requestFingerprint } from './fingerprint';
import { IdempotencyKeyInUseError, IdempotencyKeyMismatchError, InvalidIdempotencyKeyError } from './idempotency.errors';
import { IdempotencyKeyRef, IdempotencyKeyRepository, Lease } from './idempotency-key.repository';
import { IdempotentReplay } from './idempotent-replay';

const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;
/** Rounds of "insert, else read" before giving up: each lost race means another request just changed the row. */
const CLAIM_ATTEMPTS = 3;

/**
 * Idempotency-Key for one route (apply it with @Idempotent()). Brandur's phases: the key is
 * claimed in its own autocommit statement, so a concurrent duplicate sees it at once; then the
 * handler runs in a transaction that also stores the response, so the work and its record
 * commit together and a crash leaves neither behind.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyKeyRepository,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
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
    const lease = await this.claim(ref, fingerprint);
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    return of(await this.runOnce(ref, lease, status, next));
  }

  private async claim(ref: IdempotencyKeyRef, fingerprint: string): Promise<Lease> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const lease = await this.keys.insert(ref, fingerprint);
      if (lease) return lease;
      const stored = await this.keys.find(ref);
      if (!stored) continue;
      if (stored.expired) {
        await this.keys.deleteIfExpired(ref);
        continue;
      }
      if (stored.fingerprint !== fingerprint) throw new IdempotencyKeyMismatchError();
      if (stored.status === 'COMPLETED') {
        this.logger.info({ idempotencyKey: ref.key, status: stored.responseStatus }, 'idempotent request replayed');
        throw new IdempotentReplay(stored.responseStatus!, stored.responseBody);
      }
      if (!stored.leaseExpired) throw new IdempotencyKeyInUseError();
      const taken = await this.keys.takeOver(ref, fingerprint);
      if (taken) {
        this.logger.warn({ idempotencyKey: ref.key }, 'took over an idempotency key whose first attempt never finished');
        return taken;
      }
    }
    throw new IdempotencyKeyInUseError();
  }

  private async runOnce(ref: IdempotencyKeyRef, lease: Lease, status: number, next: CallHandler): Promise<unknown> {
    try {
      return await this.txHost.withTransaction(async () => {
        // next.handle() must be called here, not before: Nest binds the handler to the async
        // context current at that call, and only in here does that context carry the transaction.
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        // Overtaken after its lease ran out: the other attempt owns the key, so this one's work rolls back.
        if (!(await this.keys.complete(ref, lease, { status, body }))) throw new IdempotencyKeyInUseError();
        return body;
      });
    } catch (error) {
      if (!(error instanceof IdempotencyKeyInUseError)) await this.recordFailure(ref, lease, error);
      throw error;
    }
  }

  /**
   * The transaction has rolled back. A client error the client can fix (400, 401, 403), a
   * server error and a lock held by another payment are transient: the key is freed for a retry.
   * Any other error is the answer to this request, and is replayed like a success.
   */
  private async recordFailure(ref: IdempotencyKeyRef, lease: Lease, error: unknown): Promise<void> {
    const body = toErrorBody(error);
    const transient = [400, 401, 403].includes(body.statusCode) || body.statusCode >= 500 || body.code === 'PAYMENT_IN_PROGRESS';
    try {
      if (transient) await this.keys.release(ref, lease);
      else await this.keys.complete(ref, lease, { status: body.statusCode, body });
    } catch (recordError) {
      // The lease still runs out, and a retry then takes the key over.
      this.logger.warn({ err: recordError, idempotencyKey: ref.key }, 'could not record the outcome of an idempotent request');
    }
  }
}

/** The header's key, null when absent; anything but 1..255 printable ASCII is refused. */
function readKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== 'string' || !KEY_FORMAT.test(header)) throw new InvalidIdempotencyKeyError();
  return header;
}
