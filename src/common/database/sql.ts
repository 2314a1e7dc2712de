import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CommonSettings } from '../config/common.settings';
import { StatementNames } from './statement-names';

/**
 * Raw SQL on the current CLS transaction (or the pool outside one); callers always get the rows,
 * so `RETURNING` guards read the same everywhere.
 *
 * On sessions of our own each statement is a named prepared statement: Postgres parses and plans
 * it once per connection instead of on every call, which halves its CPU for a payment (bench/README,
 * issue 21, lever 2). Behind PgBouncer in transaction mode (1.18 keeps no prepared statement
 * across transactions) they stay unnamed, and go through TypeORM's query runner as before.
 */
@Injectable()
export class Sql {
  private readonly names: StatementNames | null;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    config: CommonSettings,
  ) {
    this.names = config.DATABASE_POOLING === 'session' ? new StatementNames() : null;
  }

  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const name = this.names?.nameFor(text);
    if (name) return this.prepared<T>({ name, text, values: params });
    const result: unknown = await this.txHost.tx.query(text, params);
    // TypeORM's Postgres driver answers UPDATE and DELETE with `[rows, rowCount]`, other statements with `rows`.
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  }

  async one<T>(text: string, params: unknown[] = []): Promise<T | null> {
    return (await this.rows<T>(text, params))[0] ?? null;
  }

  /**
   * On the transaction's own connection, or any of the pool's outside one; failures read as
   * TypeORM's, as callers expect. A transaction whose connection died (TypeORM releases its
   * runner then) fails as TypeORM's own query would: its next statements must never run on
   * another connection, outside the transaction.
   */
  private async prepared<T>(query: QueryConfig): Promise<T[]> {
    const manager = this.txHost.tx;
    const runner = manager.queryRunner;
    if (runner?.isReleased) throw new QueryRunnerAlreadyReleasedError();
    const target: Pool | PoolClient = runner ? ((await runner.connect()) as PoolClient) : (manager.connection.driver as PostgresDriver).master;
    try {
      return (await target.query(query)).rows as T[];
    } catch (error) {
      throw new QueryFailedError(query.text, query.values, error as Error);
    }
  }
}
