#!/usr/bin/env node
// npm run bench:ab -- <dist A> <dist B> [rounds]: the same scenarios against two builds, back to back,
// in the order A B, B A, A B… so that whatever drifts during a session (the machine's other load, the
// order within a pair) weighs on both builds alike. Each run is `npm run bench` with BENCH_DIST set;
// every other BENCH_* setting passes through (BENCH_ONLY=pay, BENCH_CONNECTIONS=16…). Prints, per
// scenario, each build's median and the pairs each one won: on a shared machine a lever pays when it
// wins most pairs, not when one run is faster.
//
//   node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir bench/.server/ab/before/dist   (at the old commit)
//   node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir bench/.server/ab/after/dist
//   BENCH_ONLY=pay npm run bench:ab -- bench/.server/ab/before/dist bench/.server/ab/after/dist 3
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { round, table } from './lib/common.mjs';

const [a, b, roundsArg = '3'] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!a || !b || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: npm run bench:ab -- <dist A> <dist B> [rounds, default 3]');
  process.exit(2);
}
const log = (/** @type {string} */ msg) => process.stderr.write(`${msg}\n`);

/** One `npm run bench` of a build: the results file it wrote. */
function bench(/** @type {string} */ dist) {
  const run = spawnSync(process.execPath, ['bench/run.mjs'], { env: { ...process.env, BENCH_DIST: dist }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const file = (run.stdout.match(/full figures: (\S+)/) ?? [])[1];
  if (run.status !== 0 || !file) throw new Error(`bench of ${dist} failed (exit ${run.status}):\n${run.stdout.slice(-2000)}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The figures compared, per scenario title, of one run. */
function figures(/** @type {any} */ run) {
  return new Map(
    run.results.map((/** @type {any} */ r) => {
      const { cores, activity } = r.monitor;
      return [
        // The half-rate runs are named by the rate each run found, which differs from run to run.
        r.title.replace(/ @ \d+\/s/, ''),
        {
          rps: r.rps,
          p99: r.p99,
          serverMs: (cores.server * 1000) / r.rps,
          postgresMs: (cores.postgres * 1000) / r.rps,
          idleInTransaction: activity['idle in transaction'] ?? 0,
          // A scenario's check reads "ok: …" when every answer matched the database, "MISMATCH: …" otherwise.
          exact: r.unexpectedNon2xx === 0 && String(r.check ?? 'ok').startsWith('ok'),
        },
      ];
    }),
  );
}

/** @type {{ a: Map<string, any>, b: Map<string, any> }[]} */
const pairs = [];
for (let i = 0; i < rounds; i++) {
  const order = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
  /** @type {Record<string, Map<string, any>>} */
  const pair = {};
  for (const which of order) {
    log(`ab: round ${i + 1} of ${rounds}, build ${which.toUpperCase()} (${which === 'a' ? a : b})`);
    pair[which] = figures(bench(which === 'a' ? a : b));
  }
  pairs.push({ a: pair.a, b: pair.b });
}

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = [];
for (const title of pairs[0].a.keys()) {
  const of = (/** @type {'a' | 'b'} */ which, /** @type {string} */ key) => pairs.map((p) => p[which].get(title)?.[key]).filter((x) => x !== undefined);
  const wins = pairs.filter((p) => p.b.get(title)?.rps > p.a.get(title)?.rps).length;
  rows.push([
    title,
    `${round(median(of('a', 'rps')), 0)} / ${round(median(of('b', 'rps')), 0)}`,
    `${pairs.length - wins} / ${wins}`,
    `${round(median(of('a', 'p99')), 1)} / ${round(median(of('b', 'p99')), 1)}`,
    `${round(median(of('a', 'serverMs')), 2)} / ${round(median(of('b', 'serverMs')), 2)}`,
    `${round(median(of('a', 'postgresMs')), 2)} / ${round(median(of('b', 'postgresMs')), 2)}`,
    `${round(median(of('a', 'idleInTransaction')), 1)} / ${round(median(of('b', 'idleInTransaction')), 1)}`,
    [...of('a', 'exact'), ...of('b', 'exact')].every(Boolean) ? 'yes' : 'NO',
  ]);
}
console.log(`\nA = ${a}\nB = ${b}\n${rounds} rounds, medians A / B:\n`);
console.log(table(['scenario', 'req/s', 'pairs won A / B', 'p99 ms', 'server CPU ms/req', 'Postgres CPU ms/req', 'idle in transaction', 'every check exact'], rows));
