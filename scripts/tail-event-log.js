#!/usr/bin/env node
// Prints the event log live, one line per message: sequence, subject, event type, order id.
// Usage: npm run events:tail [-- --all]   (--all: from the first message kept, not only new ones)
// NATS_URL and EVENT_LOG_STREAM come from the environment, else ./.env, as the server reads them.
// It reads with an ordered consumer: ephemeral, nothing left on the server once it stops.
'use strict';
const { existsSync } = require('node:fs');
const { parseArgs } = require('node:util');
const { connect } = require('@nats-io/transport-node');
const { DeliverPolicy, jetstream } = require('@nats-io/jetstream');

function settings() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const url = process.env.NATS_URL?.trim();
  if (!url) throw new Error('NATS_URL is not set: export it, or set it in .env (bash scripts/up.sh does)');
  return { url, stream: process.env.EVENT_LOG_STREAM?.trim() || 'SHOP_ORDERS' };
}

async function main() {
  const { values } = parseArgs({ options: { all: { type: 'boolean' } } });
  const { url, stream } = settings();
  const nc = await connect({ servers: url, name: 'events-tail', maxReconnectAttempts: -1 });
  const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: values.all ? DeliverPolicy.All : DeliverPolicy.New });
  const messages = await consumer.consume();
  process.on('SIGINT', () => void nc.close());
  process.on('SIGTERM', () => void nc.close());
  console.log(`tailing stream ${stream} on ${url} (${values.all ? 'from the start' : 'new messages'}); Ctrl-C stops`);
  for await (const m of messages) {
    const body = m.json();
    console.log([`#${m.seq}`, m.subject, m.headers?.get('Shop-Event-Type') ?? body.eventType, `order ${body.orderId}`, body.eventId].join('  '));
  }
}

main().catch((error) => {
  console.error(`events:tail: ${error.message}`);
  process.exit(1);
});
