import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';

/**
 * Request plumbing that must commit or roll back with the use case's work (the idempotency
 * record): it joins the use case's transaction instead of opening one of its own.
 */
export interface TransactionParticipant {
  /** First thing inside the transaction; throwing rolls it back before any work. */
  begin(): Promise<void>;
  /**
   * Last thing before COMMIT, with what the work returned and whether that is the request's
   * answer (a use case in several transactions answers with its last); throwing rolls the work back.
   */
  beforeCommit(result: unknown, answers: boolean): Promise<void>;
}

export interface UnitOfWorkOptions {
  /** False for a transaction whose result is not what the request answers (the first phase of a card payment). */
  answers?: boolean;
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
  ) {}

  /** Enlists a participant for the rest of the current request. */
  enlist(participant: TransactionParticipant): void {
    this.cls.set(PARTICIPANTS, [...this.participants(), participant]);
  }

  run<T>(work: () => Promise<T>, { answers = true }: UnitOfWorkOptions = {}): Promise<T> {
    return this.txHost.withTransaction(async () => {
      const participants = this.participants();
      for (const p of participants) await p.begin();
      const result = await work();
      for (const p of participants) await p.beforeCommit(result, answers);
      return result;
    });
  }

  private participants(): TransactionParticipant[] {
    // Jobs (sweepers, relays) run outside any request context and have no participants.
    return this.cls.isActive() ? (this.cls.get<TransactionParticipant[] | undefined>(PARTICIPANTS) ?? []) : [];
  }
}
