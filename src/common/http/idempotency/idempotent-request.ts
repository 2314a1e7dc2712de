import type { PinoLogger } from 'nestjs-pino';
import { NOT_THE_ANSWER } from '../../database/unit-of-work';
import type { TransactionParticipant } from '../../database/unit-of-work';
import { IdempotencyKeyInUseError, IdempotencyKeyMismatchError } from './idempotency.errors';
import type { IdempotencyKeyRef, IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotentReplay } from './idempotent-replay';

const NOT_ANSWERED = Symbol('not answered');

/**
 * One keyed request, as a participant in the use case's transaction: it claims the key first
 * thing inside it (released by COMMIT, ROLLBACK or a dead connection, never by a timer) and
 * stores the response last thing before COMMIT. A use case whose answer comes from a later
 * transaction (a gateway payment) has its first one hold the key: an IN_PROGRESS row that
 * commits with it and lasts until the answer replaces it, or its hold runs out (a crash).
 */
export class IdempotentRequest implements TransactionParticipant {
  private answer: unknown = NOT_ANSWERED;
  /** This request committed an IN_PROGRESS row for its key. */
  private holding = false;

  constructor(
    private readonly ref: IdempotencyKeyRef,
    private readonly fingerprint: string,
    private readonly statusOf: (answer: unknown) => number,
    private readonly keys: IdempotencyKeyRepository,
    private readonly logger: PinoLogger,
  ) {}

  async begin(): Promise<void> {
    if (this.answer !== NOT_ANSWERED) throw new Error('an idempotent request ran a second unit of work after storing its answer');
    if (!(await this.keys.tryClaim(this.ref))) throw new IdempotencyKeyInUseError();
    // Under the claim, and in a snapshot taken after it: an attempt that committed just before is seen.
    if (!this.holding) await this.checkStored();
  }

  async beforeCommit(answer: unknown, holdForMs: number | null): Promise<void> {
    if (answer === NOT_THE_ANSWER) {
      if (holdForMs === null || this.holding) return;
      if (!(await this.keys.hold(this.ref, this.fingerprint, holdForMs))) throw new IdempotencyKeyInUseError();
      this.holding = true;
      return;
    }
    if (!(await this.keys.complete(this.ref, this.fingerprint, { status: this.statusOf(answer), body: answer }))) {
      throw new IdempotencyKeyInUseError();
    }
    this.answer = answer;
    this.holding = false;
  }

  /** The request ended with no answer to store (a 5xx, a refusal the client can fix): a key it held is free again. */
  async letGo(): Promise<void> {
    if (!this.holding) return;
    await this.keys.release(this.ref, this.fingerprint);
    this.holding = false;
  }

  /** Throws what a stored row answers (replay, mismatch, in use); clears a row that no longer binds the key. */
  async checkStored(): Promise<void> {
    const stored = await this.keys.find(this.ref);
    if (!stored) return;
    if (stored.expired) return this.keys.deleteStale(this.ref);
    if (stored.fingerprint !== this.fingerprint) throw new IdempotencyKeyMismatchError();
    if (stored.status === 'COMPLETED') {
      this.logger.info({ idempotencyKey: this.ref.key, status: stored.responseStatus }, 'idempotent request replayed');
      throw new IdempotentReplay(stored.responseStatus!, stored.responseBody);
    }
    if (!stored.leaseExpired) throw new IdempotencyKeyInUseError();
    this.logger.warn({ idempotencyKey: this.ref.key }, 'took over an idempotency key whose first attempt never finished');
    return this.keys.deleteStale(this.ref);
  }

  /** The route must answer with exactly what its unit of work stored, or a replay would differ. */
  assertAnswered(body: unknown): void {
    if (this.answer === NOT_ANSWERED) throw new Error('an @Idempotent() route answered without running a unit of work');
    if (body !== this.answer) throw new Error('an @Idempotent() route answered something other than what its unit of work returned');
  }
}
