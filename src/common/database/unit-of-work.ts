import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { QueryFailedError } from 'typeorm';
import { ONE_STATEMENT_CHECK_FAILED, OneStatement } from './one-statement';
import { Sql } from './sql';

/**
 * Request plumbing that must commit or roll back with the use case's work (the idempotency
 * record): it joins the use case's transaction instead of opening one of its own.
 */
export interface TransactionParticipant {
  /** First thing inside the transaction; throwing rolls it back before any work. */
  begin(): Promise<void>;
  /**
   * Last thing before COMMIT, with the request's answer when this transaction carries it (a use
   * case in several transactions answers with one of them), else NOT_THE_ANSWER, and how long
   * the request's claims must outlive this transaction when its answer comes later (`holdForMs`);
   * throwing rolls the work back.
   */
  beforeCommit(answer: unknown, holdForMs: number | null): Promise<void>;
}

/** What `answers` returns for a transaction whose result is not what the request answers. */
export const NOT_THE_ANSWER = Symbol('not the answer');

export interface UnitOfWorkOptions<T> {
  /**
   * What of the work's result the request answers with. Absent: the result itself. False: not
   * the answer (the first phase of a gateway payment). A function: the answer it picks out of
   * the result, or NOT_THE_ANSWER (an outcome that is answered with an error).
   */
  answers?: false | ((result: T) => unknown);
  /**
   * This transaction starts work that answers later, from another transaction (a gateway
   * payment's phase 1): what the request claimed (its Idempotency-Key) stays claimed after
   * COMMIT, at most this long should the process die before it answers.
   */
  holdKeyForMs?: number;
}

const PARTICIPANTS = 'unit-of-work:participants';

/**
 * The one way a use case opens a transaction. The use case owns the unit of work (DESIGN.md,
 * "one owner per unit of work"): lock → run (BEGIN → participants → work → participants →
 * COMMIT or ROLLBACK) → compensation → release. Participants enlisted for the current request
 * take part in every unit of work the request runs.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly sql: Sql,
  ) {}

  /** Enlists a participant for the rest of the current request. */
  enlist(participant: TransactionParticipant): void {
    this.cls.set(PARTICIPANTS, [...this.participants(), participant]);
  }

  run<T>(work: () => Promise<T>, { answers = (result) => result, holdKeyForMs }: UnitOfWorkOptions<T> = {}): Promise<T> {
    return this.txHost.withTransaction(async () => {
      const participants = this.participants();
      for (const p of participants) await p.begin();
      const result = await work();
      if (participants.length > 0) {
        const answer = answers === false ? NOT_THE_ANSWER : answers(result);
        for (const p of participants) await p.beforeCommit(answer, holdKeyForMs ?? null);
      }
      return result;
    });
  }

  /**
   * The work as one statement instead of a transaction (OneStatement): `build` adds the parts, or
   * answers false to decline. Null when it did not commit, with nothing written: a participant's
   * record must commit with the work (an Idempotency-Key), `build` declined, or a check failed.
   * The caller then does the work the transaction way, which also says why it cannot.
   */
  async runAsOneStatement<T>(build: (statement: OneStatement) => Promise<boolean>): Promise<T | null> {
    if (this.txHost.isTransactionActive()) throw new Error('one statement is its own transaction: run it outside any');
    if (this.participants().length > 0) return null;
    const statement = new OneStatement();
    if (!(await build(statement))) return null;
    let row: T | null;
    try {
      row = await this.sql.one<T>(statement.text(), statement.values);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === ONE_STATEMENT_CHECK_FAILED) return null;
      throw error;
    }
    statement.committed();
    return row;
  }

  private participants(): TransactionParticipant[] {
    // Jobs (sweepers, relays) run outside any request context and have no participants.
    return this.cls.isActive() ? (this.cls.get<TransactionParticipant[] | undefined>(PARTICIPANTS) ?? []) : [];
  }
}
