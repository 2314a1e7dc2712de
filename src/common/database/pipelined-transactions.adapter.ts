import { TransactionalAdapterTypeOrm, TypeOrmTransactionalAdapterOptions } from '@nestjs-cls/transactional-adapter-typeorm';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { PipelinedWrites, trackPipelinedWrites } from './pipelined-writes';

/**
 * TypeORM's transactions for @nestjs-cls/transactional, made for connections that pipeline (a
 * session of our own): BEGIN goes out with the transaction's first statement instead of a round
 * trip before it, and the writes nobody reads (`Sql.write`) go out with COMMIT. Both are awaited
 * once COMMIT's answer is in, and one that failed fails the transaction: Postgres rolled it back.
 * Behind PgBouncer, where nothing pipelines and each transaction must set the session's limits
 * as it begins (TransactionSettingsSubscriber), this is TypeORM's adapter unchanged.
 */
export class PipelinedTransactionsAdapter extends TransactionalAdapterTypeOrm {
  constructor(options: TypeOrmTransactionalAdapterOptions) {
    super(options);
    const typeorm = this.optionsFactory;
    this.optionsFactory = (dataSource: DataSource) => {
      const base = typeorm(dataSource);
      const extra = (dataSource.options as PostgresDataSourceOptions).extra as { pipeline?: boolean } | undefined;
      if (extra?.pipeline !== true) return base;
      return {
        ...base,
        wrapWithTransaction: async (options, fn, setClient) => {
          const runner = dataSource.createQueryRunner();
          let writes: PipelinedWrites | undefined;
          try {
            writes = new PipelinedWrites((await runner.connect()) as PoolClient);
            begin(runner, writes, options?.isolationLevel);
            setClient(runner.manager);
            const result: unknown = await fn();
            await runner.commitTransaction();
            await writes.settled();
            return result;
          } catch (error) {
            if (runner.isTransactionActive && !runner.isReleased) await runner.rollbackTransaction().catch(() => undefined);
            // A failed write turns every later statement of its transaction into "current
            // transaction is aborted": the write's own error is the cause worth reporting.
            throw (await writes?.failure()) ?? error;
          } finally {
            await runner.release();
          }
        },
      };
    };
  }
}

/**
 * Written now, answered with the rest: what TypeORM's startTransaction does, without waiting for
 * BEGIN's answer (and without its transaction-start events, which nothing listens to here). The
 * runner then commits, rolls back and nests as if it had begun the transaction itself.
 */
function begin(runner: QueryRunner, writes: PipelinedWrites, isolationLevel: string | undefined): void {
  writes.add(writes.client.query(isolationLevel ? `START TRANSACTION ISOLATION LEVEL ${isolationLevel}` : 'START TRANSACTION'));
  Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
  trackPipelinedWrites(runner, writes);
}
