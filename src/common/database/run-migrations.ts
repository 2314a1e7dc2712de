import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

/** Any fixed number: every instance of this service agrees on it, nothing else uses it. */
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies pending migrations in one transaction that first takes a transaction-scoped advisory
 * lock, so that several instances starting at once apply each migration exactly once; the others
 * wait, then find nothing pending. Nothing outlives that transaction (no session lock, no SET),
 * so it works the same behind PgBouncer in transaction mode, and a crash part-way leaves neither
 * a half-applied schema nor a held lock.
 */
export async function runMigrationsLocked(dataSource: DataSource, logger = new Logger('Migrations')): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query('SET LOCAL statement_timeout = 0');
    await runner.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'none'; // of their own: they run inside this one
    const applied = await executor.executePendingMigrations();
    await runner.commitTransaction();
    if (applied.length > 0) logger.log({ migrations: applied.map((m) => m.name) }, `applied ${applied.length} migration(s)`);
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
