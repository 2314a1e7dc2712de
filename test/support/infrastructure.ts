import { Client } from 'pg';

/**
 * Where the tests find the local Postgres and Redis (TEST_DATABASE_URL, TEST_REDIS_URL), and
 * the one place that creates and drops a test file's own database.
 */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_BASE_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The port a service listens on, for tests that put a proxy in front of it. */
export const postgresPort = () => Number(new URL(ADMIN_DATABASE_URL).port || 5432);
export const redisPort = () => Number(new URL(REDIS_BASE_URL).port || 6379);

/** `base` with another port and/or path (a database name, a Redis db index). */
export function withPort(base: string, port: number | undefined, path?: string): string {
  const url = new URL(base);
  if (port) url.port = String(port);
  if (path !== undefined) url.pathname = path;
  return url.toString();
}

export const databaseUrl = (name: string) => withPort(ADMIN_DATABASE_URL, undefined, `/${name}`);
export const redisUrl = (db = 0) => withPort(REDIS_BASE_URL, undefined, `/${db}`);

export async function createDatabase(name: string): Promise<void> {
  await adminQuery(`CREATE DATABASE ${name}`);
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
