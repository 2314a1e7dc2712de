// Another service reading the shop's event log (README, "Subscribing to the event log"):
// a durable consumer that survives restarts, explicit acks, and deduplication by eventId.
// Run: NATS_URL=nats://127.0.0.1:4222 node examples/event-log-subscriber.mjs
import { connect } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';

const stream = process.env.EVENT_LOG_STREAM || 'SHOP_ORDERS';
const durable = process.env.CONSUMER_NAME || 'example-subscriber'; // one name per subscribing service
const nc = await connect({ servers: process.env.NATS_URL, maxReconnectAttempts: -1 });

// Idempotent: creates the consumer once, finds it again after a restart.
await (await jetstreamManager(nc)).consumers.add(stream, {
  durable_name: durable,
  filter_subject: process.env.FILTER_SUBJECT || 'shop.orders.>', // e.g. shop.orders.*.paid
  deliver_policy: DeliverPolicy.All,
  ack_policy: AckPolicy.Explicit,
  ack_wait: 30_000_000_000, // ns: unacked for 30 s → redelivered
  max_ack_pending: 1, // one message at a time keeps each order's events in stream order
});

// Delivery is at least once: remember what was handled. In a real service this is a table with
// a unique eventId, written in the same transaction as the effect of the event.
const handled = new Set();
const messages = await (await jetstream(nc).consumers.get(stream, durable)).consume();
process.on('SIGTERM', () => void nc.drain());
console.log(`subscribed as ${durable} to ${stream}`);
for await (const m of messages) {
  const event = m.json(); // { eventId, eventType, orderId, ..., schemaVersion: 1 }
  if (!handled.has(event.eventId)) {
    console.log(`handled ${event.eventType} of order ${event.orderId} (${event.eventId})`);
    handled.add(event.eventId);
  }
  m.ack(); // only after the effect is stored: a crash before it means a redelivery, not a loss
}
