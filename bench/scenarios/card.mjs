// Scenario 5: card payments through the payment-gateway simulator, which answers each confirm
// after ~200 ms as a real gateway does: pre-created PENDING orders of distinct users, each with
// a checkout session for its finalAmount, paid with method CARD as fast as 64 and 256
// connections allow. What it shows: with no transaction or row lock held while the gateway
// thinks, throughput is bound by concurrency and CPU, not by Postgres connections.
import { intEnv, listEnv } from '../lib/common.mjs';
import { newUserIds, placeOrders, settle } from '../lib/fixtures.mjs';
import { runLoad } from '../lib/load.mjs';
import { measured } from '../lib/monitor.mjs';

/** @param {any} ctx @param {number} n */
async function prepareCardPayments(ctx, n) {
  const users = await newUserIds(ctx.pool, n);
  const options = users.map((_, i) => ctx.catalog[i % ctx.catalog.length]);
  const orders = await placeOrders(ctx.pool, users.map((userId, i) => ({ userId, optionId: options[i].optionId })), ctx.orderTtlSeconds);
  await ctx.simulator.reset();
  const keys = await ctx.simulator.checkout(orders.map((o, i) => ({ orderId: o.orderId, amount: options[i].price })));
  const bearers = ctx.tokens.bearers(users);
  await settle(ctx.pool);
  let next = 0;
  const step = {
    tag: 'card',
    method: 'POST',
    path: '/payments',
    setupRequest(/** @type {any} */ req) {
      const i = next++ % n;
      req.headers = { authorization: bearers[i], 'content-type': 'application/json' };
      req.body = `{"orderId":${orders[i].orderId},"method":"CARD","paymentKey":"${keys[i]}"}`;
      return req;
    },
  };
  return { step, orderIds: orders.map((o) => o.orderId) };
}

/** @param {any} ctx @param {number[]} orderIds @param {number} created */
async function checkCardPaid(ctx, orderIds, created) {
  const { rows } = await ctx.pool.query(
    `SELECT count(*) FILTER (WHERE o.status = 'PAID')::int AS paid,
            count(p.id) FILTER (WHERE p.status = 'COMPLETED' AND p.method = 'CARD')::int AS completed,
            count(p.id) FILTER (WHERE p.status = 'PROCESSING')::int AS processing
     FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.id = ANY($1::bigint[])`,
    [orderIds],
  );
  const { paid, completed, processing } = rows[0];
  const gateway = await ctx.simulator.statuses();
  const ok = paid === created && completed === paid && processing === 0 && (gateway.DONE ?? 0) === paid;
  return `${ok ? 'ok' : 'MISMATCH'}: ${paid} PAID with ${completed} COMPLETED card payments for ${created} × 201, ${gateway.DONE ?? 0} DONE at the gateway, ${processing} PROCESSING`;
}

/** @param {any} ctx @param {{ title: string, connections: number, n: number }} run */
async function cardRun(ctx, run) {
  const { step, orderIds } = await prepareCardPayments(ctx, run.n);
  const result = await measured(ctx, true, () =>
    runLoad({ title: run.title, baseUrl: ctx.baseUrl, connections: run.connections, amount: run.n, requests: [step] }),
  );
  return { ...result, mode: 'closed', check: await checkCardPaid(ctx, orderIds, result.answers['201'] ?? 0) };
}

/** @param {any} ctx */
export async function cardScenario(ctx) {
  if (!ctx.simulator) throw new Error('the card scenario needs the simulator the bench starts (no BASE_URL)');
  const seconds = intEnv('BENCH_PAY_SECONDS', 15);
  const warm = await cardRun(ctx, { title: 'warm-up', connections: 64, n: 1_000 });
  ctx.log(`  warm-up: ${warm.rps.toFixed(0)} card payments/s`);
  const rows = [];
  for (const connections of listEnv('BENCH_CARD_CONNECTIONS', [64, 256])) {
    const n = Math.max(1_000, Math.min(100_000, Math.round(warm.rps * (connections / 64) * seconds)));
    const row = await cardRun(ctx, { title: `5. card @ ${ctx.simulatorDelayMs} ms gateway, ${connections} conn`, connections, n });
    ctx.log(`  ${row.title}: ${row.rps.toFixed(0)}/s p99 ${row.p99.toFixed(1)} ms`);
    rows.push(row);
  }
  return rows;
}
