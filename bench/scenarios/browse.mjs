// Scenario 4: anonymous browsing, GET /products?page=&size=20 on random pages and
// GET /products/:id on random products, each for a fixed time.
import { intEnv } from '../lib/common.mjs';
import { settle } from '../lib/fixtures.mjs';
import { runLoad } from '../lib/load.mjs';
import { measured } from '../lib/monitor.mjs';

/**
 * Tops the catalog up to `count` products of 2 options each, written as POST /admin/products
 * writes them (the API was already exercised for the other scenarios' products).
 * @param {any} ctx @param {number} count
 */
async function ensureCatalog(ctx, count) {
  await ctx.pool.query(
    `WITH missing AS (SELECT g FROM generate_series(1, greatest(0, $1 - (SELECT count(*) FROM products)::int)) g),
     p AS (INSERT INTO products (name, price) SELECT 'browse ' || g, 1000 * (1 + g % 50) FROM missing ORDER BY g RETURNING id),
     counted AS (UPDATE catalog_totals SET products = products + (SELECT count(*) FROM p))
     INSERT INTO product_options (product_id, name, on_hand)
     SELECT p.id, o.name, 1000 FROM p, (VALUES ('opt 1'), ('opt 2')) AS o (name) ORDER BY p.id, o.name`,
    [count],
  );
  const { rows } = await ctx.pool.query('SELECT id FROM products ORDER BY id');
  await settle(ctx.pool);
  return rows.map((/** @type {{ id: string }} */ r) => Number(r.id));
}

/** @param {any} ctx */
export async function browseScenario(ctx) {
  const seconds = intEnv('BENCH_BROWSE_SECONDS', 10);
  const ids = await ensureCatalog(ctx, intEnv('BENCH_BROWSE_PRODUCTS', 1_000));
  const pages = Math.ceil(ids.length / 20);
  const pick = (/** @type {number} */ n) => Math.floor(Math.random() * n);
  const list = {
    tag: 'list',
    setupRequest: (/** @type {any} */ req) => ({ ...req, path: `/products?page=${1 + pick(pages)}&size=20` }),
  };
  const one = {
    tag: 'get',
    setupRequest: (/** @type {any} */ req) => ({ ...req, path: `/products/${ids[pick(ids.length)]}` }),
  };
  await runLoad({ title: 'warm-up', baseUrl: ctx.baseUrl, connections: 16, duration: 3, requests: [list, one] }); // not reported
  const rows = [];
  for (const [name, step] of /** @type {const} */ ([['list', list], ['get', one]])) {
    for (const connections of ctx.connections) {
      const title = name === 'list' ? `4. GET /products?page&size=20, ${connections} conn` : `4. GET /products/:id, ${connections} conn`;
      const row = await measured(ctx, false, () => runLoad({ title, baseUrl: ctx.baseUrl, connections, duration: seconds, requests: [step] }));
      rows.push({ ...row, check: `${ids.length} products, ${pages} pages` });
      ctx.log(`  ${title}: ${row.rps.toFixed(0)}/s p99 ${row.p99.toFixed(1)} ms`);
    }
  }
  return rows;
}
