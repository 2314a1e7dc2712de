#!/usr/bin/env node
// Prints a bearer token such as the identity provider would issue, for trying the API locally.
// Usage: npm run token -- <userId> [--admin] [--ttl <seconds>]
'use strict';
const { existsSync } = require('node:fs');
const { parseArgs } = require('node:util');
const jwt = require('jsonwebtoken');

const USAGE = 'usage: npm run token -- <userId> [--admin] [--ttl <seconds>]   (default ttl 86400)';
const DEFAULT_TTL_SECONDS = 86_400;

/** JWT_SECRET from the environment, else from ./.env, exactly as the server resolves it. */
function jwtSecret() {
  if (!process.env.JWT_SECRET && existsSync('.env')) process.loadEnvFile('.env');
  const secret = process.env.JWT_SECRET?.trim();
  if (!secret) throw new Error('JWT_SECRET is not set: export it, or create .env (bash scripts/up.sh does)');
  return secret;
}

/** HS256 token with `{ sub: "<userId>", role }`, expiring after `ttlSeconds`. */
function signToken(userId, { admin = false, ttlSeconds = DEFAULT_TTL_SECONDS } = {}) {
  return jwt.sign({ sub: String(userId), role: admin ? 'admin' : 'user' }, jwtSecret(), {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
  });
}

function positiveInteger(text) {
  return /^[1-9][0-9]*$/.test(text ?? '') && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

function main() {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { admin: { type: 'boolean' }, ttl: { type: 'string' } } });
  } catch (error) {
    throw new Error(`${error.message}\n${USAGE}`);
  }
  const userId = positiveInteger(args.positionals[0]);
  if (args.positionals.length !== 1 || userId === undefined) throw new Error(`userId must be one positive integer\n${USAGE}`);
  const ttlSeconds = args.values.ttl === undefined ? DEFAULT_TTL_SECONDS : positiveInteger(args.values.ttl);
  if (ttlSeconds === undefined) throw new Error(`--ttl must be a positive integer of seconds\n${USAGE}`);
  console.log(signToken(userId, { admin: args.values.admin, ttlSeconds }));
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`token: ${error.message}`);
    process.exit(2);
  }
}

module.exports = { signToken };
