// Starts the service for a benchmark in its own process, on a freshly created database, from a
// private build (bench/.server/dist) so that someone rebuilding dist/ meanwhile cannot change
// the code under test. Used when BASE_URL is not given.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import { recreateDatabase, waitForHealth } from './common.mjs';

const require = createRequire(import.meta.url);
/** @type {any} */
const Redis = require('ioredis');

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PRIVATE_DIST = path.join(ROOT, 'bench/.server/dist');

/** Compiles src/ into bench/.server/dist (the same tsconfig `nest build` uses). */
export function buildPrivateDist() {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', PRIVATE_DIST], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/**
 * @param {{ databaseUrl: string, redisUrl: string, jwtSecret: string, port: number, dist?: string, env?: Record<string,string>, nodeArgs?: string[] }} opts
 */
export async function startServer(opts) {
  const dist = opts.dist ?? PRIVATE_DIST;
  if (!opts.dist) buildPrivateDist();
  if (!existsSync(path.join(dist, 'main.js'))) throw new Error(`${dist}/main.js is missing`);
  await recreateDatabase(opts.databaseUrl);
  await clearRedisPrefix(opts.redisUrl, 'bench:');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    REDIS_KEY_PREFIX: 'bench:',
    JWT_SECRET: opts.jwtSecret,
    LOG_LEVEL: 'warn',
    PORT: String(opts.port),
    ...opts.env,
  };
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(dist, 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  await Promise.race([
    waitForHealth(baseUrl, 60_000),
    exited.then((e) => {
      throw new Error(`the server exited during start-up: ${JSON.stringify(e)}`);
    }),
  ]);
  return {
    baseUrl,
    pid: /** @type {number} */ (child.pid),
    env,
    /** SIGTERM, then wait for the graceful exit (a CPU profile is written then). */
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Deletes this benchmark's Redis keys (a fresh database reuses coupon ids). @param {string} url @param {string} prefix */
export async function clearRedisPrefix(url, prefix) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
