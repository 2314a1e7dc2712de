#!/usr/bin/env node
// Fills a running server with a small demo catalog and a few coupons, through the API only.
// Idempotent: a product whose name already exists, or a coupon this script created before and
// still finds, is left alone, so running it again creates nothing.
// Usage: node scripts/seed-demo.js   (BASE_URL, default http://127.0.0.1:$PORT; JWT_SECRET from env or .env)
'use strict';
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { signToken } = require('./token');

if (existsSync('.env')) process.loadEnvFile('.env');
const BASE_URL = (process.env.BASE_URL ?? `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/+$/, '');
const ADMIN_USER_ID = 1;

/** Prices in whole won; `stock` is the number on hand. */
const DEMO_PRODUCTS = [
  { name: 'Basic Cotton Tee', price: 19_000, options: [{ name: 'S', stock: 30 }, { name: 'M', stock: 50 }, { name: 'L', stock: 40 }] },
  { name: 'Hooded Sweatshirt', price: 45_000, options: [{ name: 'M', stock: 20 }, { name: 'L', stock: 20 }, { name: 'XL', stock: 10 }] },
  { name: 'Slim Denim Jeans', price: 59_000, options: [{ name: '28', stock: 8 }, { name: '30', stock: 15 }, { name: '32', stock: 15 }, { name: '34', stock: 6 }] },
  { name: 'Canvas Tote Bag', price: 15_000, options: [{ name: 'Natural', stock: 100 }, { name: 'Black', stock: 60 }] },
  { name: 'Wool Beanie', price: 12_000, options: [{ name: 'One size', stock: 3 }] },
];

/** Created once `POST /admin/coupons` exists; until then the server answers 404 and they are skipped. */
const DEMO_COUPONS = [
  { name: 'WELCOME 5,000 won off', discountType: 'FIXED', discountValue: 5_000, totalQuantity: 1_000 },
  { name: '10% off, first 100', discountType: 'RATE', discountValue: 10, totalQuantity: 100 },
];

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${signToken(ADMIN_USER_ID, { admin: true, ttlSeconds: 300 })}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(BASE_URL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new Error(`${method} ${BASE_URL}${path}: ${error.cause?.message ?? error.message} (is the server running?)`);
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function expect(response, status, what) {
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

// ---- Demo products ------------------------------------------------------------------------
async function existingProductNames() {
  const names = new Set();
  for (let page = 1, seen = 0; ; page++) {
    const { items, total } = expect(await api('GET', `/products?page=${page}&size=100`), 200, 'GET /products');
    for (const product of items) names.add(product.name);
    seen += items.length;
    if (items.length === 0 || seen >= total) return names;
  }
}

async function seedProducts() {
  const names = await existingProductNames();
  let existing = 0;
  for (const product of DEMO_PRODUCTS) {
    if (names.has(product.name)) {
      existing++;
      continue;
    }
    const created = expect(await api('POST', '/admin/products', product), 201, `POST /admin/products (${product.name})`);
    console.log(`seed: created product #${created.id} ${created.name} (${created.options.map((o) => o.name).join('/')})`);
  }
  if (existing > 0) console.log(`seed: ${existing} of ${DEMO_PRODUCTS.length} demo products already exist`);
}

// ---- Demo coupons -------------------------------------------------------------------------
// The API has no coupon listing, so a coupon counts as present when GET /admin/coupons/:id finds
// one of the same name among the ids recorded here by an earlier run.
const COUPON_RECORD = join(__dirname, '..', '.quickstart', 'demo-coupons.json');

async function seedCoupons() {
  const recorded = existsSync(COUPON_RECORD) ? JSON.parse(readFileSync(COUPON_RECORD, 'utf8')) : {};
  let existing = 0;
  for (const coupon of DEMO_COUPONS) {
    const id = recorded[coupon.name];
    if (id !== undefined) {
      const found = await api('GET', `/admin/coupons/${id}`);
      if (found.status === 200 && found.body.name === coupon.name) {
        existing++;
        continue;
      }
    }
    const created = await api('POST', '/admin/coupons', coupon);
    if (created.status === 404) {
      console.log('seed: demo coupons skipped: POST /admin/coupons does not exist yet');
      return;
    }
    recorded[coupon.name] = expect(created, 201, `POST /admin/coupons (${coupon.name})`).id;
    mkdirSync(dirname(COUPON_RECORD), { recursive: true });
    writeFileSync(COUPON_RECORD, `${JSON.stringify(recorded, null, 2)}\n`);
    console.log(`seed: created coupon #${created.body.id} ${coupon.name}`);
  }
  if (existing > 0) console.log(`seed: ${existing} of ${DEMO_COUPONS.length} demo coupons already exist`);
}

seedProducts()
  .then(seedCoupons)
  .catch((error) => {
    console.error(`seed: ${error.message}`);
    process.exit(1);
  });
