// Scenario 1: paying pre-created PENDING orders of distinct users (one order each, no coupon),
// first as fast as the connections allow, then at a fixed arrival rate of half that throughput.
import { intEnv } from '../lib/common.mjs';
import { fundUsers, newUserIds, placeOrders, settle } from '../lib/fixtures.mjs';
import { runLoad } from '../lib/load.mjs';
import { measured } from '../lib/monitor.mjs';

/** @typedef {import('../lib/load.mjs').LoadResult & { setup?: string, monitor?: any, check?: string, mode?: string }} Row */

/**
 * `n` funded users with one PENDING order each, spread over all options, and one payment
 * request per order: a shared cursor hands each (token, orderId) pair out exactly once.
 * @param {any} ctx @param {number} n
 */
async function preparePayments(ctx, n) {
  const users = await newUserIds(ctx.pool, n);
  await fundUsers(ctx.pool, users, 1_000_000);
  const orders = await placeOrders(ctx.pool, users.map((userId, i) => ({ userId, optionId: ctx.catalog[i % ctx.catalog.length].optionId })), ctx.orderTtlSeconds);
  const bearers = ctx.tokens.bearers(users);
  await settle(ctx.pool);
  let next = 0;
  const step = {
    tag: 'pay',
    method: 'POST',
    path: '/payments',
    setupRequest(/** @type {any} */ req) {
      const i = next++ % n; // never wraps when amount = n; a repeat would show up as 409 ORDER_NOT_PAYABLE
      req.headers = { authorization: bearers[i], 'content-type': 'application/json' };
      req.body = `{"orderId":${orders[i].orderId}}`;
      return req;
    },
  };
  return { step, orderIds: orders.map((o) => o.orderId) };
}

/**
 * As many orders PAID, each with one payment, as 201 answers (all of them in an amount-bound run;
 * a time-bound run may also have paid the requests in flight when it stopped, at most one per connection).
 * @param {any} ctx @param {number[]} orderIds @param {number} created @param {number} inFlight
 */
async function checkPaid(ctx, orderIds, created, inFlight) {
  const { rows } = await ctx.pool.query(
    `SELECT count(*) FILTER (WHERE o.status = 'PAID')::int AS paid, count(p.id)::int AS payments
     FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.id = ANY($1::bigint[])`,
    [orderIds],
  );
  const { paid, payments } = rows[0];
  const ok = paid >= created && paid <= created + inFlight && payments === paid;
  return `${ok ? 'ok' : 'MISMATCH'}: ${paid} PAID with ${payments} payments for ${created} × 201 (${orderIds.length} orders prepared)`;
}

/**
 * Closed runs send exactly `n` payments (one per prepared order) as fast as the connections go.
 * Fixed-rate runs last `seconds` and prepare a margin of orders they never reach.
 * @param {any} ctx @param {{ title: string, connections: number, n: number, overallRate?: number, seconds?: number, slices?: number, mode: string }} run
 * @returns {Promise<Row>}
 */
async function payRun(ctx, run) {
  const { step, orderIds } = await preparePayments(ctx, run.n);
  const result = await measured(ctx, true, () =>
    runLoad({
      title: run.title,
      baseUrl: ctx.baseUrl,
      connections: run.connections,
      amount: run.overallRate ? undefined : run.n,
      duration: run.overallRate ? run.seconds : undefined,
      overallRate: run.overallRate,
      slices: run.slices,
      requests: [step],
    }),
  );
  return { ...result, mode: run.mode, check: await checkPaid(ctx, orderIds, result.answers['201'] ?? 0, run.overallRate ? run.connections : 0) };
}

/** @param {any} ctx @returns {Promise<Row[]>} */
export async function payScenario(ctx) {
  const seconds = intEnv('BENCH_PAY_SECONDS', 15);
  const rows = [];
  // Warm-up (JIT, pools, caches) that also sizes the measured runs; not reported.
  const warm = await payRun(ctx, { title: 'warm-up', connections: 16, n: 2_000, mode: 'warm-up' });
  ctx.log(`  warm-up: ${warm.rps.toFixed(0)} payments/s`);
  /** @type {Record<number, number>} */
  const throughput = {};
  for (const connections of ctx.connections) {
    // The warm-up runs cold, so it under-estimates: size for a little more than `seconds`.
    const n = Math.max(2_000, Math.min(200_000, Math.round(warm.rps * seconds * 1.5)));
    const row = await payRun(ctx, { title: `1. pay, ${connections} conn`, connections, n, mode: 'closed' });
    throughput[connections] = row.rps;
    ctx.log(`  ${row.title}: ${row.rps.toFixed(0)}/s p99 ${row.p99.toFixed(1)} ms`);
    rows.push(row);
  }
  for (const connections of ctx.connections) {
    const rate = Math.max(1, Math.floor(throughput[connections] / 2));
    const n = Math.ceil(rate * seconds * 1.2) + connections;
    for (const slices of [1, 8]) {
      const row = await payRun(ctx, {
        title: `1. pay @ ${rate}/s (½), ${connections} conn${slices > 1 ? `, ${slices} staggered` : ''}`,
        connections,
        n,
        overallRate: rate,
        seconds,
        slices,
        mode: `rate${slices > 1 ? '-staggered' : ''}`,
      });
      ctx.log(`  ${row.title}: ${row.rps.toFixed(0)}/s p99 ${row.p99.toFixed(1)} ms`);
      rows.push(row);
    }
  }
  return rows;
}
