// Shared helpers of the benchmark: settings from the environment, tokens, HTTP and SQL access.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');
const pg = require('pg');

/** @param {string} name @param {number} fallback */
export function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
}

/** @param {string} name @param {number[]} fallback */
export function listEnv(name, fallback) {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => Number(s.trim())) : fallback;
}

/** Tokens are signed once per user in setup, never in the load loop. */
export class Tokens {
  /** @param {string} secret */
  constructor(secret) {
    if (!secret || secret.length < 16) throw new Error('JWT_SECRET (the server\'s, 16+ characters) is required');
    this.secret = secret;
  }

  /** @param {number} userId @param {'user'|'admin'} [role] */
  sign(userId, role = 'user') {
    return jwt.sign({ sub: String(userId), role }, this.secret, { algorithm: 'HS256', expiresIn: 6 * 3600 });
  }

  /** @param {number[]} userIds @returns {string[]} `Bearer …` header values, in the same order */
  bearers(userIds) {
    return userIds.map((id) => `Bearer ${this.sign(id)}`);
  }
}

/**
 * Small JSON client for setup calls (never used under load).
 * @param {string} baseUrl @param {string} method @param {string} path @param {{ token?: string, body?: unknown }} [opts]
 * @returns {Promise<{ status: number, body: any }>}
 */
export async function call(baseUrl, method, path, { token, body } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** @param {string} baseUrl @param {number} timeoutMs */
export async function waitForHealth(baseUrl, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${baseUrl}/health did not answer 200 within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} url */
export function newPool(url) {
  return new pg.Pool({ connectionString: url, max: 4 });
}

/** A database URL with another database name (for drop/create through the maintenance db). @param {string} url @param {string} db */
export function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Drops and recreates the database named in `url` (nothing may be connected to it). @param {string} url */
export async function recreateDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing to drop database "${name}"`);
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/** Rounds for display. @param {number} x @param {number} [digits] */
export const round = (x, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/**
 * Plain-text table. @param {string[]} header @param {(string|number)[][]} rows
 */
export function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (/** @type {string[]} */ r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
