// Runs autocannon and collects its own figures: every response's latency and answer (status plus
// the error `code` of non-2xx bodies), per request step, so percentiles are exact (no histogram
// buckets) and p95 exists (autocannon reports p97.5, not p95).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { sleep } from './common.mjs';

const require = createRequire(import.meta.url);
/** @type {any} */
const autocannon = require('autocannon'); // ships no types

/**
 * @typedef {{ tag?: string, method?: string, path?: string, headers?: Record<string,string>, body?: string,
 *   setupRequest?: (req: any, context: any) => any, onResponse?: (status: number, body: string, context: any) => void }} Step
 * @typedef {{ title: string, baseUrl: string, connections: number, requests: Step[], amount?: number, duration?: number,
 *   overallRate?: number, slices?: number, expected?: string[], shouldStop?: (client: any) => boolean }} LoadOptions
 * @typedef {{ title: string, connections: number, overallRate: number|null, responses: number, elapsedS: number, rps: number,
 *   p50: number, p95: number, p99: number, max: number, answers: Record<string, number>, byTag: Record<string, TagStats>,
 *   latencyByAnswer: Record<string, { p50: number, p99: number, max: number }>,
 *   non2xx: number, expectedNon2xx: number, unexpectedNon2xx: number, errors: number, timeouts: number }} LoadResult
 * @typedef {{ responses: number, p50: number, p95: number, p99: number, answers: Record<string, number> }} TagStats
 */

/** @param {number[]} sorted @param {number} q */
function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** The answer's label: "201", or "409 COUPON_SOLD_OUT" for an error body. @param {number} status @param {string} body */
function answerOf(status, body) {
  if (status < 300) return String(status);
  try {
    const code = JSON.parse(body)?.code;
    return code ? `${status} ${code}` : String(status);
  } catch {
    return String(status);
  }
}

/**
 * Runs one load and returns its figures. `slices` > 1 splits the connections, the rate and the
 * amount over that many autocannon instances started evenly across one second: autocannon's rate
 * limit lets each connection send its whole per-second quota at the start of each second, and
 * staggering spreads those bursts out.
 * @param {LoadOptions} opts @returns {Promise<LoadResult>}
 */
export async function runLoad(opts) {
  const slices = opts.slices ?? 1;
  /** @type {Map<string, { latencies: number[], answers: Record<string, number> }>} */
  const tags = new Map();
  const all = /** @type {number[]} */ ([]);
  /** @type {Map<string, number[]>} */
  const byAnswer = new Map();
  const answers = /** @type {Record<string, number>} */ ({});
  let errors = 0;
  let timeouts = 0;
  let lastResponseAt = 0;

  // Each step records its answer in the connection's context (autocannon calls onResponse
  // just before it emits 'response', and moves on to the next step only after).
  const requests = opts.requests.map((step) => ({
    ...step,
    onResponse(/** @type {number} */ status, /** @type {string} */ body, /** @type {any} */ context) {
      context.lastAnswer = answerOf(status, body);
      step.onResponse?.(status, body, context);
    },
  }));

  const started = performance.now();
  const instances = [];
  for (let i = 0; i < slices; i++) {
    if (i > 0) await sleep(1000 / slices);
    const share = (/** @type {number} */ x) => Math.floor(x / slices) + (i < x % slices ? 1 : 0);
    const instance = autocannon({
      url: opts.baseUrl,
      connections: share(opts.connections),
      amount: opts.amount === undefined ? undefined : share(opts.amount),
      duration: opts.duration ?? 600,
      overallRate: opts.overallRate === undefined ? undefined : share(opts.overallRate),
      requests,
      timeout: 20,
    });
    instance.on('response', (/** @type {any} */ client, /** @type {number} */ _status, /** @type {number} */ _bytes, /** @type {number} */ ms) => {
      lastResponseAt = performance.now();
      const iterator = client.requestIterator;
      const tag = iterator.currentRequest.tag ?? 'all';
      const answer = iterator.context.lastAnswer;
      let t = tags.get(tag);
      if (!t) tags.set(tag, (t = { latencies: [], answers: {} }));
      t.latencies.push(ms);
      t.answers[answer] = (t.answers[answer] ?? 0) + 1;
      all.push(ms);
      answers[answer] = (answers[answer] ?? 0) + 1;
      const a = byAnswer.get(answer);
      if (a) a.push(ms);
      else byAnswer.set(answer, [ms]);
      if (opts.shouldStop?.(client)) client.destroy();
    });
    instance.on('reqError', () => errors++);
    instances.push(new Promise((resolve, reject) => instance.then(resolve, reject)));
  }
  /** @type {any[]} */
  const results = await Promise.all(instances);
  timeouts = results.reduce((n, r) => n + r.timeouts, 0);

  const elapsedS = ((lastResponseAt || performance.now()) - started) / 1000;
  all.sort((a, b) => a - b);
  const expected = new Set(opts.expected ?? []);
  const non2xx = Object.entries(answers).filter(([a]) => !a.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const expectedNon2xx = Object.entries(answers).filter(([a]) => expected.has(a)).reduce((n, [, c]) => n + c, 0);
  /** @type {Record<string, TagStats>} */
  const byTag = {};
  for (const [tag, t] of tags) {
    t.latencies.sort((a, b) => a - b);
    byTag[tag] = { responses: t.latencies.length, p50: percentile(t.latencies, 0.5), p95: percentile(t.latencies, 0.95), p99: percentile(t.latencies, 0.99), answers: t.answers };
  }
  /** @type {Record<string, { p50: number, p99: number, max: number }>} */
  const latencyByAnswer = {};
  for (const [answer, l] of byAnswer) {
    l.sort((a, b) => a - b);
    latencyByAnswer[answer] = { p50: percentile(l, 0.5), p99: percentile(l, 0.99), max: l[l.length - 1] };
  }
  return {
    title: opts.title,
    connections: opts.connections,
    overallRate: opts.overallRate ?? null,
    responses: all.length,
    elapsedS,
    rps: all.length / elapsedS,
    p50: percentile(all, 0.5),
    p95: percentile(all, 0.95),
    p99: percentile(all, 0.99),
    max: all[all.length - 1],
    answers,
    byTag,
    latencyByAnswer,
    non2xx,
    expectedNon2xx,
    unexpectedNon2xx: non2xx - expectedNon2xx,
    errors,
    timeouts,
  };
}
