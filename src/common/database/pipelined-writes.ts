import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';

/**
 * The statements of one transaction whose answers nobody reads before COMMIT (outbox rows): on a
 * pipelined connection they are written at once and their answers awaited with COMMIT's, so
 * Postgres does not sit idle in the transaction while Node comes back for each. Should one fail,
 * Postgres has aborted the transaction and answers COMMIT with a rollback: `settled()` throws
 * that statement's error, so the caller sees the failure, never a commit.
 */
export class PipelinedWrites {
  private readonly answers: Promise<void>[] = [];
  private firstFailure: Error | null = null;

  constructor(readonly client: PoolClient) {}

  add(answer: Promise<unknown>): void {
    this.answers.push(
      answer.then(
        () => undefined,
        (error: Error) => {
          this.firstFailure ??= error;
        },
      ),
    );
  }

  /** Once every answer is in: the first write that failed, if one did. */
  async failure(): Promise<Error | null> {
    await Promise.all(this.answers);
    return this.firstFailure;
  }

  async settled(): Promise<void> {
    const failure = await this.failure();
    if (failure) throw failure;
  }
}

const byRunner = new WeakMap<QueryRunner, PipelinedWrites>();

export function pipelinedWritesOf(runner: QueryRunner | undefined): PipelinedWrites | undefined {
  return runner && !runner.isReleased ? byRunner.get(runner) : undefined;
}

export function trackPipelinedWrites(runner: QueryRunner, writes: PipelinedWrites): void {
  byRunner.set(runner, writes);
}
