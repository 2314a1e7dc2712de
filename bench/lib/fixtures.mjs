// Test data. Products and coupons go through the admin API; bulk rows (funded users, PENDING
// orders) are written in SQL for speed, exactly as the API would write them: a CHARGE log per
// charge, orders priced from the catalog with their items, and the ordered units reserved.
import { call } from './common.mjs';

let nextUserId = 0;

/**
 * Distinct user ids never used before in this database (users exist only through their rows).
 * @param {import('pg').Pool} pool @param {number} n
 */
export async function newUserIds(pool, n) {
  if (nextUserId === 0) {
    const { rows } = await pool.query(
      `SELECT greatest((SELECT max(id) FROM user_accounts), (SELECT max(user_id) FROM orders), (SELECT max(user_id) FROM user_coupons), 0)::bigint AS max`,
    );
    nextUserId = Number(rows[0].max) + 1;
  }
  const ids = Array.from({ length: n }, (_, i) => nextUserId + i);
  nextUserId += n;
  return ids;
}

/**
 * Products with options through POST /admin/products.
 * @param {string} baseUrl @param {string} adminToken @param {{ products: number, options: number, stock: number, prefix: string }} spec
 * @returns {Promise<{ productId: number, optionId: number, price: number }[]>} one entry per option
 */
export async function createProducts(baseUrl, adminToken, { products, options, stock, prefix }) {
  const out = [];
  for (let start = 0; start < products; start += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, products - start) }, async (_, k) => {
        const i = start + k;
        const body = {
          name: `${prefix} ${i + 1}`,
          price: 1_000 * (1 + (i % 50)),
          options: Array.from({ length: options }, (_, j) => ({ name: `opt ${j + 1}`, stock })),
        };
        const res = await call(baseUrl, 'POST', '/admin/products', { token: adminToken, body });
        if (res.status !== 201) throw new Error(`POST /admin/products answered ${res.status}: ${JSON.stringify(res.body)}`);
        return res.body;
      }),
    );
    for (const p of batch) for (const o of p.options) out.push({ productId: p.id, optionId: o.id, price: p.price });
  }
  return out;
}

/**
 * Accounts charged with `amount` each, as POST /me/balance/charge writes them (row + CHARGE log).
 * @param {import('pg').Pool} pool @param {number[]} userIds @param {number} amount
 */
export async function fundUsers(pool, userIds, amount) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO user_accounts (id, balance) SELECT id, $2 FROM unnest($1::bigint[]) AS id', [userIds, amount]);
    await client.query(
      `INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT id, 'CHARGE', $2, $2, NULL FROM unnest($1::bigint[]) AS id ORDER BY id`,
      [userIds, amount],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * One PENDING order of one unit per user, as POST /orders writes it: priced from the catalog,
 * no coupon, expiring after `ttlSeconds`, its unit reserved on the option.
 * @param {import('pg').Pool} pool @param {{ userId: number, optionId: number }[]} wanted @param {number} ttlSeconds
 * @returns {Promise<{ orderId: number, userId: number }[]>} in the order given
 */
export async function placeOrders(pool, wanted, ttlSeconds) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `WITH wanted AS (
         SELECT w.user_id, w.option_id, w.n, o.product_id, p.price
         FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS w (user_id, option_id, n)
         JOIN product_options o ON o.id = w.option_id JOIN products p ON p.id = o.product_id),
       placed AS (
         INSERT INTO orders (user_id, status, user_coupon_id, original_amount, discount_amount, final_amount, expires_at)
         SELECT user_id, 'PENDING', NULL, price, 0, price, now() + make_interval(secs => $3) FROM wanted ORDER BY n
         RETURNING id, user_id),
       items AS (
         INSERT INTO order_items (order_id, product_id, product_option_id, quantity, unit_price)
         SELECT placed.id, wanted.product_id, wanted.option_id, 1, wanted.price FROM placed JOIN wanted USING (user_id)
         ORDER BY placed.id)
       SELECT id AS "orderId", user_id AS "userId" FROM placed`,
      [wanted.map((w) => w.userId), wanted.map((w) => w.optionId), ttlSeconds],
    );
    await client.query(
      `UPDATE product_options o SET reserved = o.reserved + r.units, updated_at = now()
       FROM (SELECT option_id, count(*)::int AS units FROM unnest($1::bigint[]) AS option_id GROUP BY option_id) r
       WHERE o.id = r.option_id`,
      [wanted.map((w) => w.optionId)],
    );
    await client.query('COMMIT');
    const byUser = new Map(rows.map((r) => [Number(r.userId), Number(r.orderId)]));
    return wanted.map((w) => ({ orderId: /** @type {number} */ (byUser.get(w.userId)), userId: w.userId }));
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Fresh statistics and a clean checkpoint, so every run starts from the same state. @param {import('pg').Pool} pool */
export async function settle(pool) {
  await pool.query('ANALYZE');
  await pool.query('CHECKPOINT');
}
