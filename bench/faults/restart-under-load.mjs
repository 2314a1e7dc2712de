#!/usr/bin/env node
// Restarts the real Postgres and Redis of this machine while the built server is under load,
// then checks every invariant. Not part of the test suite (it disturbs anything else using
// those services); run it alone: `npm run build && node bench/faults/restart-under-load.mjs`.
// Prints, per second, the answers the load got, the outage windows and the recovery times.
import { execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const SECRET = 'fault-scenario-secret-0123456789';
const DB = `shop_faults_${randomBytes(4).toString('hex')}`;
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_URL = `postgres://postgres@127.0.0.1:5432/${DB}`;
const PORT = Number(process.env.PORT ?? 3411);
const BASE = `http://127.0.0.1:${PORT}`;
const PG_VERSION = execSync('ls /etc/postgresql').toString().trim().split('\n')[0];
const REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

const token = (sub, role = 'user') => jwt.sign({ sub: String(sub), role }, SECRET);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function call(method, path, user, body, role) {
  try {
    const res = await fetch(BASE + path, {
      method,
      headers: { authorization: `Bearer ${token(user, role)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return { status: 0, body: null };
  }
}
async function admin(sql, params, url = ADMIN_URL) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

await admin(`CREATE DATABASE ${DB}`);
const server = spawn(process.execPath, [join(import.meta.dirname, '../../dist/main.js')], {
  env: { ...process.env, PORT: String(PORT), DATABASE_URL: DB_URL, REDIS_URL: 'redis://127.0.0.1:6379/6', REDIS_KEY_PREFIX: `${DB}:`, JWT_SECRET: SECRET, LOG_LEVEL: 'error', OUTBOX_POLL_INTERVAL_MS: '200' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (let i = 0; (await call('GET', '/health', 1)).status !== 200; i++) {
  if (i > 100) throw new Error('server did not start');
  await sleep(200);
}

const product = (await call('POST', '/admin/products', 1, { name: 'fault', price: 1_000, options: [{ name: 'a', stock: 1_000_000 }] }, 'admin')).body;
const coupon = (await call('POST', '/admin/coupons', 1, { name: 'fault', discountType: 'FIXED', discountValue: 100, totalQuantity: 200 }, 'admin')).body;

const perSecond = new Map();
const started = Date.now();
const note = (status) => {
  const second = Math.floor((Date.now() - started) / 1000);
  const row = perSecond.get(second) ?? {};
  const key = status === 0 ? 'no answer' : status >= 500 ? String(status) : status >= 400 ? '4xx' : '2xx';
  row[key] = (row[key] ?? 0) + 1;
  perSecond.set(second, row);
};
let stop = false;
let next = 100_000;
async function shopper() {
  while (!stop) {
    const user = next++;
    for (const step of [
      () => call('POST', `/coupons/${coupon.id}/issue`, user),
      () => call('POST', '/me/balance/charge', user, { amount: 2_000 }),
    ]) note((await step()).status);
    const order = await call('POST', '/orders', user, { items: [{ productOptionId: product.options[0].id, quantity: 1 }] });
    note(order.status);
    if (order.status === 201) note((await call('POST', '/payments', user, { orderId: order.body.id })).status);
  }
}
const load = Promise.all(Array.from({ length: 16 }, shopper));

async function outage(label, restart) {
  await sleep(4_000);
  const t0 = Date.now();
  restart();
  const restartedIn = Date.now() - t0;
  let recovered = null;
  while (recovered === null) {
    const res = await call('POST', '/me/balance/charge', 1, { amount: 1 });
    if (res.status === 200) recovered = Date.now() - t0;
    else await sleep(100);
  }
  console.log(`${label}: restart command took ${restartedIn} ms; first successful charge ${recovered} ms after the restart began`);
}

await outage('postgres restart (immediate)', () => execSync(`pg_ctlcluster --skip-systemctl-redirect ${PG_VERSION} main restart -m immediate`));
await outage('redis restart (data lost)', () => {
  execSync('redis-cli shutdown nosave || true');
  execSync(REDIS_START);
});
await sleep(4_000);
stop = true;
await load;

console.log('\nanswers per second (2xx / 4xx business / 503 / other 5xx / no answer):');
for (const [second, row] of [...perSecond].sort((a, b) => a[0] - b[0])) console.log(`  ${String(second).padStart(3)} s  ${JSON.stringify(row)}`);

// Let the relay finish, then check every invariant.
for (let i = 0; i < 150; i++) {
  const [{ n }] = await admin(`SELECT COUNT(*)::int AS n FROM outbox_events WHERE status <> 'DELIVERED'`, [], DB_URL).catch(() => [{ n: 1 }]);
  if (n === 0) break;
  await sleep(200);
}
const db = new pg.Client({ connectionString: DB_URL });
await db.connect();
const q = async (sql) => (await db.query(sql)).rows;
const checks = {
  'balance = sum of its logs': await q(`SELECT a.id FROM user_accounts a JOIN (SELECT user_id, SUM(CASE type WHEN 'USE' THEN -amount ELSE amount END) s FROM balance_logs GROUP BY 1) l ON l.user_id = a.id WHERE a.balance <> l.s OR a.balance < 0`),
  'paid orders = payments = USE logs': await q(`SELECT o.id FROM orders o LEFT JOIN payments p ON p.order_id = o.id LEFT JOIN balance_logs l ON l.order_id = o.id WHERE (o.status = 'PAID') <> (p.id IS NOT NULL) OR (o.status = 'PAID') <> (l.id IS NOT NULL)`),
  'stock = initial - paid, reserved = pending': await q(`SELECT po.id FROM product_options po LEFT JOIN (SELECT oi.product_option_id id, SUM(oi.quantity) FILTER (WHERE o.status='PAID') paid, SUM(oi.quantity) FILTER (WHERE o.status='PENDING') pending FROM order_items oi JOIN orders o ON o.id = oi.order_id GROUP BY 1) s ON s.id = po.id WHERE po.on_hand <> 1000000 - COALESCE(s.paid,0) OR po.reserved <> COALESCE(s.pending,0)`),
  'coupons issued = holders <= total': await q(`SELECT c.id FROM coupons c WHERE c.issued_quantity <> (SELECT COUNT(*) FROM user_coupons WHERE coupon_id = c.id) OR c.issued_quantity > c.total_quantity`),
  'outbox fully delivered': await q(`SELECT id FROM outbox_events WHERE status <> 'DELIVERED'`),
};
const top = (await call('GET', '/products/top?days=1&limit=100', 1)).body ?? [];
const [{ paid }] = await q(`SELECT COALESCE(SUM(oi.quantity),0)::int AS paid FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status = 'PAID'`);
checks['ranking = paid quantity (rebuilt after the Redis loss)'] = (top.find((x) => x.productId === product.id)?.salesQuantity ?? 0) === paid ? [] : [`ranking ${JSON.stringify(top)} vs paid ${paid}`];
console.log('\ninvariants:');
let broken = 0;
for (const [name, rows] of Object.entries(checks)) {
  console.log(`  ${rows.length === 0 ? 'ok  ' : 'FAIL'} ${name}${rows.length ? ` (${rows.length} rows)` : ''}`);
  broken += rows.length ? 1 : 0;
}
console.log(`  paid orders: ${(await q(`SELECT COUNT(*)::int n FROM orders WHERE status = 'PAID'`))[0].n}, coupons issued: ${(await q('SELECT issued_quantity n FROM coupons'))[0].n}`);
await db.end();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
process.exit(broken ? 1 : 0);
