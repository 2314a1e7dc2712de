// Scenario 2: 10,000 distinct users race for a coupon of 100 over 100 connections. Exactly 100
// must win (checked in the answers and in Postgres); the others get 409 COUPON_SOLD_OUT.
import { call, intEnv } from '../lib/common.mjs';
import { newUserIds } from '../lib/fixtures.mjs';
import { runLoad } from '../lib/load.mjs';
import { measured } from '../lib/monitor.mjs';

/** @param {any} ctx @param {number} requests @param {number} quantity @param {number} connections @param {string} title */
async function race(ctx, requests, quantity, connections, title) {
  const created = await call(ctx.baseUrl, 'POST', '/admin/coupons', {
    token: ctx.adminToken,
    body: { name: `bench ${title}`, discountType: 'FIXED', discountValue: 1_000, totalQuantity: quantity },
  });
  if (created.status !== 201) throw new Error(`POST /admin/coupons answered ${created.status}: ${JSON.stringify(created.body)}`);
  const couponId = created.body.id;
  const bearers = ctx.tokens.bearers(await newUserIds(ctx.pool, requests));
  let next = 0;
  const step = {
    tag: 'issue',
    method: 'POST',
    path: `/coupons/${couponId}/issue`,
    setupRequest(/** @type {any} */ req) {
      req.headers = { authorization: bearers[next++ % requests] };
      return req;
    },
  };
  const result = await measured(ctx, false, () =>
    runLoad({ title, baseUrl: ctx.baseUrl, connections, amount: requests, requests: [step], expected: ['409 COUPON_SOLD_OUT'] }),
  );
  const { rows } = await ctx.pool.query(
    `SELECT c.issued_quantity AS issued, (SELECT count(DISTINCT user_id)::int FROM user_coupons u WHERE u.coupon_id = c.id) AS holders
     FROM coupons c WHERE c.id = $1`,
    [couponId],
  );
  const winners = result.answers['201'] ?? 0;
  const ok = winners === quantity && rows[0].issued === quantity && rows[0].holders === quantity;
  const check = `${ok ? 'ok' : 'MISMATCH'}: ${winners} × 201, ${rows[0].issued} issued, ${rows[0].holders} holders in Postgres`;
  return { ...result, check };
}

/** @param {any} ctx */
export async function couponScenario(ctx) {
  const requests = intEnv('BENCH_COUPON_REQUESTS', 10_000);
  const quantity = intEnv('BENCH_COUPON_QUANTITY', 100);
  const connections = intEnv('BENCH_COUPON_CONNECTIONS', 100);
  await race(ctx, 2_000, 20, connections, 'warm-up'); // JIT and pools; not reported
  const row = await race(ctx, requests, quantity, connections, `2. coupon race ${requests}→${quantity}, ${connections} conn`);
  ctx.log(`  ${row.title}: ${row.rps.toFixed(0)}/s p99 ${row.p99.toFixed(1)} ms, ${row.check}`);
  return [row];
}
