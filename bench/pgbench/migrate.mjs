#!/usr/bin/env node
// Creates the service's schema in the database named by the argument, with the service's own
// migrations and migration runner from a build (BENCH_DIST, default dist/; run `npm run build`).
// Usage: node bench/pgbench/migrate.mjs postgres://postgres@127.0.0.1:5432/shop_pgbench
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dist = path.resolve(process.env.BENCH_DIST || 'dist');
const { DataSource } = require('typeorm');
const { MIGRATIONS } = require(path.join(dist, 'migrations/index.js'));
const { runMigrationsLocked } = require(path.join(dist, 'common/database/run-migrations.js'));

const url = process.argv[2];
if (!url) throw new Error('usage: migrate.mjs <database url>');
const dataSource = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, migrationsTableName: 'typeorm_migrations' });
await dataSource.initialize();
try {
  await runMigrationsLocked(dataSource, { log: () => undefined });
} finally {
  await dataSource.destroy();
}
