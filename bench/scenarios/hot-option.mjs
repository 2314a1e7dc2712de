// Scenario 3: 2,000 distinct buyers for one option with fewer units than buyers. Each buyer
// places an order (POST /orders) and, when it was accepted, pays it (POST /payments) with the id
// from that answer, on the same connection. The first `stock` orders get 201 and are paid; the
// rest get 409 INSUFFICIENT_STOCK, the expected business answer.
import { intEnv } from '../lib/common.mjs';
import { createProducts, fundUsers, newUserIds, settle } from '../lib/fixtures.mjs';
import { runLoad } from '../lib/load.mjs';
import { measured } from '../lib/monitor.mjs';

/** @param {any} ctx @param {number} connections @param {number} buyers @param {number} stock @param {string} title */
async function rush(ctx, connections, buyers, stock, title) {
  const [option] = await createProducts(ctx.baseUrl, ctx.adminToken, { products: 1, options: 1, stock, prefix: `hot ${title}` });
  const users = await newUserIds(ctx.pool, buyers);
  await fundUsers(ctx.pool, users, 1_000_000);
  const bearers = ctx.tokens.bearers(users);
  await settle(ctx.pool);

  let next = 0;
  const orderBody = JSON.stringify({ items: [{ productOptionId: option.optionId, quantity: 1 }] });
  const order = {
    tag: 'order',
    method: 'POST',
    path: '/orders',
    setupRequest(/** @type {any} */ req, /** @type {any} */ context) {
      // Once every buyer has started, a connection is stopped (shouldStop) before it gets here;
      // the health check is only a placeholder autocannon insists on and is never sent.
      if (next >= buyers) return { ...req, method: 'GET', path: '/health', body: '' };
      context.buyer = next++;
      req.headers = { authorization: bearers[context.buyer], 'content-type': 'application/json' };
      req.body = orderBody;
      return req;
    },
    onResponse(/** @type {number} */ status, /** @type {string} */ body, /** @type {any} */ context) {
      if (status === 201) context.orderId = JSON.parse(body).id;
    },
  };
  const pay = {
    tag: 'pay',
    method: 'POST',
    path: '/payments',
    setupRequest(/** @type {any} */ req, /** @type {any} */ context) {
      if (!context.orderId) return null; // refused order: this buyer is done, the next one starts
      req.headers = { authorization: bearers[context.buyer], 'content-type': 'application/json' };
      req.body = `{"orderId":${context.orderId}}`;
      return req;
    },
  };
  // A connection stops once all buyers have started and its own buyer is done.
  const shouldStop = (/** @type {any} */ client) => {
    const it = client.requestIterator;
    return next >= buyers && (it.currentRequest.tag === 'pay' || !it.context.orderId);
  };

  const result = await measured(ctx, false, () =>
    runLoad({ title, baseUrl: ctx.baseUrl, connections, requests: [order, pay], shouldStop, expected: ['409 INSUFFICIENT_STOCK'] }),
  );

  const { rows } = await ctx.pool.query(
    `SELECT o.on_hand AS "onHand", o.reserved,
            (SELECT count(*)::int FROM order_items i JOIN orders r ON r.id = i.order_id WHERE i.product_option_id = o.id AND r.status = 'PAID') AS paid
     FROM product_options o WHERE o.id = $1`,
    [option.optionId],
  );
  const orders = result.byTag.order?.answers ?? {};
  const pays = result.byTag.pay?.answers ?? {};
  const ok =
    orders['201'] === stock && pays['201'] === stock && (orders['409 INSUFFICIENT_STOCK'] ?? 0) === buyers - stock &&
    rows[0].onHand === 0 && rows[0].reserved === 0 && rows[0].paid === stock;
  const check = `${ok ? 'ok' : 'MISMATCH'}: orders ${JSON.stringify(orders)}, payments ${JSON.stringify(pays)}; option on_hand ${rows[0].onHand}, reserved ${rows[0].reserved}, ${rows[0].paid} paid orders`;
  return { ...result, check, buyersPerS: buyers / result.elapsedS };
}

/** @param {any} ctx */
export async function hotOptionScenario(ctx) {
  const buyers = intEnv('BENCH_HOT_BUYERS', 2_000);
  const stock = intEnv('BENCH_HOT_STOCK', 500);
  const rows = [];
  await rush(ctx, 16, 400, 100, 'warm-up'); // not reported
  for (const connections of ctx.connections) {
    const row = await rush(ctx, connections, buyers, stock, `3. hot option ${buyers} buyers/${stock} units, ${connections} conn`);
    ctx.log(`  ${row.title}: ${row.rps.toFixed(0)} req/s, ${row.buyersPerS.toFixed(0)} buyers/s, p99 ${row.p99.toFixed(1)} ms, ${row.check}`);
    rows.push(row);
  }
  return rows;
}
