import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Any fixed number: every instance of this service agrees on it, nothing else uses it. */
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies pending migrations while holding a session-level advisory lock, so that several
 * instances starting at once apply each migration exactly once; the others wait, then find
 * nothing pending.
 */
export async function runMigrationsLocked(dataSource: DataSource, logger = new Logger('Migrations')): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) logger.log({ migrations: applied.map((m) => m.name) }, `applied ${applied.length} migration(s)`);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}
