#!/usr/bin/env node
// npm run bench: load scenarios against the service, from this process (autocannon on loopback).
//
//   BASE_URL=http://127.0.0.1:3300 JWT_SECRET=… DATABASE_URL=postgres://…/shop_bench npm run bench
//       against a server you started (on a fresh database; setup writes to DATABASE_URL)
//   npm run bench
//       without BASE_URL: drops and recreates DATABASE_URL's database (default shop_bench),
//       builds src/ into bench/.server/dist and starts the server itself as a child process
//       (PORT 3300, LOG_LEVEL=warn; DB_POOL_SIZE, WEB_CONCURRENCY… are passed through).
//
// Other settings: BENCH_ONLY=pay,coupons,hot,browse,card  BENCH_CONNECTIONS=16,64  BENCH_PAY_SECONDS=15
// BENCH_CARD_CONNECTIONS=64,256  BENCH_PG_DELAY_MS=200 (the simulator's answer time)  BENCH_PG_PORT=4300
// BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/results/prof"  BENCH_DIST=dist (skip the build)
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Tokens, intEnv, listEnv, newPool, round, table } from './lib/common.mjs';
import { createProducts } from './lib/fixtures.mjs';
import { startServer } from './lib/server.mjs';
import { payScenario } from './scenarios/pay.mjs';
import { couponScenario } from './scenarios/coupons.mjs';
import { hotOptionScenario } from './scenarios/hot-option.mjs';
import { browseScenario } from './scenarios/browse.mjs';
import { cardScenario } from './scenarios/card.mjs';
import { SIMULATOR_SECRET, startSimulator } from './lib/simulator.mjs';

const require = createRequire(import.meta.url);
const log = (/** @type {string} */ msg) => process.stderr.write(`${msg}\n`);

const SCENARIOS = { pay: payScenario, coupons: couponScenario, hot: hotOptionScenario, browse: browseScenario, card: cardScenario };

async function machine(/** @type {import('pg').Pool} */ pool, /** @type {string} */ redisUrl) {
  const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
  let redis = 'unknown';
  try {
    /** @type {any} */
    const Redis = require('ioredis');
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    redis = ((await r.info('server')).match(/redis_version:(\S+)/) ?? [])[1] ?? 'unknown';
    r.disconnect();
  } catch {
    // reported as unknown
  }
  const git = (/** @type {string[]} */ args) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpuModel,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres: (await pool.query('SHOW server_version')).rows[0].server_version,
    redis,
    autocannon: require('autocannon/package.json').version,
    gitHead: git(['rev-parse', '--short', 'HEAD']),
    srcChanges: git(['status', '--short', 'src']).split('\n').filter(Boolean).length,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
}

/** @param {any[]} rows */
function summary(rows) {
  return table(
    ['scenario', 'responses', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx', 'expected', 'unexpected', 'srv CPU ms/req', 'cores srv/pg/gen/redis/irq/other', 'idle before', 'outbox left'],
    rows.map((r) => [
      r.title,
      r.responses,
      round(r.rps, 0),
      round(r.p50, 1),
      round(r.p95, 1),
      round(r.p99, 1),
      round(r.max, 0),
      r.non2xx,
      r.expectedNon2xx,
      r.unexpectedNon2xx + r.errors,
      r.monitor?.cores?.server ? `${round((r.monitor.cores.server * 1000) / r.rps, 2)} (sys ${round((r.monitor.cores.serverSystem * 1000) / r.rps, 2)})` : '',
      r.monitor?.cores ? [r.monitor.cores.server ?? '-', r.monitor.cores.postgres, r.monitor.cores.loadgen, r.monitor.cores.redis, r.monitor.cores.irq, r.monitor.cores.other].join('/') : '',
      r.monitor?.before ? `${r.monitor.before.quiet ? 'yes' : 'NO'} (${r.monitor.before.busyCoresBefore})` : '',
      r.monitor?.outboxBacklogAfter ?? '',
    ]),
  );
}

async function main() {
  const only = (process.env.BENCH_ONLY ?? 'pay,coupons,hot,browse,card').split(',').map((s) => s.trim());
  for (const name of only) if (!(name in SCENARIOS)) throw new Error(`BENCH_ONLY: unknown scenario ${name} (${Object.keys(SCENARIOS).join(', ')})`);
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/shop_bench';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379/5';
  const external = Boolean(process.env.BASE_URL);
  const jwtSecret = process.env.JWT_SECRET || (external ? '' : randomBytes(24).toString('hex'));
  const tokens = new Tokens(jwtSecret);

  let server = null;
  let baseUrl = /** @type {string} */ (process.env.BASE_URL);
  const simulatorDelayMs = intEnv('BENCH_PG_DELAY_MS', 200);
  const simulator = !external && only.includes('card') ? await startSimulator({ port: intEnv('BENCH_PG_PORT', 4300), delayMs: simulatorDelayMs }) : null;
  if (simulator) {
    process.env.PG_BASE_URL = simulator.url;
    process.env.PG_SECRET_KEY = SIMULATOR_SECRET;
  }
  if (!external) {
    log(`starting the server on a fresh database (${new URL(databaseUrl).pathname.slice(1)})…`);
    server = await startServer({
      databaseUrl,
      redisUrl,
      jwtSecret,
      port: intEnv('PORT', 3300),
      dist: process.env.BENCH_DIST || undefined,
      nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    });
    baseUrl = server.baseUrl;
  }
  const serverPid = server?.pid ?? (process.env.BENCH_SERVER_PID ? Number(process.env.BENCH_SERVER_PID) : null);

  const pool = newPool(databaseUrl);
  const results = [];
  let info;
  try {
    info = await machine(pool, redisUrl);
    const settings = {
      baseUrl,
      managedServer: !external,
      DB_POOL_SIZE: process.env.DB_POOL_SIZE || '20 (default)',
      WEB_CONCURRENCY: process.env.WEB_CONCURRENCY || '1 (default)',
      serverNodeArgs: process.env.BENCH_SERVER_NODE_ARGS || '',
      serverBuild: external ? 'external' : process.env.BENCH_DIST || `bench/.server/dist, built from the working tree (HEAD ${info.gitHead}, ${info.srcChanges} changed files in src/)`,
    };
    log(JSON.stringify({ ...info, ...settings }));
    const adminToken = tokens.sign(1, 'admin');
    const ctx = {
      baseUrl,
      pool,
      tokens,
      adminToken,
      serverPid,
      log,
      connections: listEnv('BENCH_CONNECTIONS', [16, 64]),
      orderTtlSeconds: intEnv('ORDER_TTL_SECONDS', 600),
      catalog: /** @type {{ productId: number, optionId: number, price: number }[]} */ ([]),
      simulator,
      simulatorDelayMs,
    };
    log('creating the catalog (100 products × 2 options) through the admin API…');
    ctx.catalog = await createProducts(baseUrl, adminToken, { products: 100, options: 2, stock: 1_000_000, prefix: 'bench' });
    for (const name of only) {
      log(`scenario ${name}…`);
      results.push(...(await SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (name)](ctx)));
    }
    const out = { machine: info, settings, results };
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    const file = new URL(`./results/run-${info.date.replace(/[:.]/g, '-')}.json`, import.meta.url);
    writeFileSync(file, JSON.stringify(out, null, 2));

    console.log(`\n${info.date}  ${info.nproc} × ${info.cpuModel}, ${info.memoryGiB} GiB  node ${info.node}, postgres ${info.postgres}, redis ${info.redis}`);
    console.log(`server: ${settings.managedServer ? `started by the bench from ${settings.serverBuild}` : baseUrl}, DB_POOL_SIZE=${settings.DB_POOL_SIZE}, WEB_CONCURRENCY=${settings.WEB_CONCURRENCY}${settings.serverNodeArgs ? `, node ${settings.serverNodeArgs}` : ''}`);
    console.log('cores: CPU cores busy during the run (server incl. workers / all postgres processes / this load generator / redis / irq+softirq / everything else, e.g. other jobs)\n');
    console.log(summary(results));
    console.log('\nchecks:');
    for (const r of results) if (r.check) console.log(`  ${r.title}: ${r.check}`);
    const unexpected = results.filter((r) => r.unexpectedNon2xx + r.errors > 0);
    for (const r of unexpected) console.log(`  UNEXPECTED answers in ${r.title}: ${JSON.stringify(r.answers)} errors ${r.errors}`);
    console.log('\nlatency by answer (p50 / p99 / max ms) where a run had several kinds of answer or step:');
    for (const r of results.filter((x) => Object.keys(x.latencyByAnswer).length > 1 || Object.keys(x.byTag).length > 1)) {
      const answers = Object.entries(r.latencyByAnswer).map(([a, l]) => `${a} ×${r.answers[a]}: ${round(l.p50)} / ${round(l.p99)} / ${round(l.max, 0)}`);
      const steps = Object.keys(r.byTag).length > 1 ? Object.entries(r.byTag).map(([t, l]) => `step ${t} ×${l.responses}: ${round(l.p50)} / ${round(l.p99)}`) : [];
      console.log(`  ${r.title}: ${[...answers, ...steps].join('; ')}${'buyersPerS' in r ? `; ${round(Number(r.buyersPerS), 0)} buyers/s` : ''}`);
    }
    const pays = results.filter((r) => r.monitor?.activity && Object.keys(r.monitor.activity).length > 0);
    if (pays.length > 0) {
      console.log('\nserver Postgres connections, mean count by state (pg_stat_activity every 50 ms):');
      for (const r of pays) console.log(`  ${r.title}: ${JSON.stringify(r.monitor.activity)}`);
    }
    console.log(`\nfull figures: ${file.pathname}`);
  } finally {
    await pool.end();
    if (server) {
      log('stopping the server…');
      await server.stop();
    }
    simulator?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
