// The payment-gateway simulator as a process: `npm run pg:sim`, which runs
//
//   node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON tools/pg-sim.mjs
//
// Node 24.22 runs pg-simulator.ts itself: its type stripping prints no ExperimentalWarning. The
// flag silences the one warning left, MODULE_TYPELESS_PACKAGE_JSON: package.json has no "type",
// so Node parses the .ts file as CommonJS first, meets `import` and says it reparsed it as an ES
// module. "type": "module" would instead turn every .ts file of the repository into an ES module
// under `module: nodenext`, which Jest's CommonJS runtime cannot load. Without the flag it runs
// the same, with that warning on stderr.
//
// Environment: PG_SIM_PORT (default 4100; 0 = any free port), PG_SIM_HOST (default 127.0.0.1),
// PG_SECRET_KEY (the secret key it accepts; default test_sk_simulator), PG_SIM_DELAY_MS (default
// 0; added before every confirm and cancel answer, ~200 behaves like a real gateway),
// PG_SIM_WEBHOOK_URL (where webhooks go; unset: none are sent), PG_SIM_WEBHOOK_RETRY_DELAYS_MS
// (comma-separated waits before each retry, e.g. 100,200,400; `none`: no retries; unset: Toss's
// 1, 4, 16, 64, 256, 1024, 4096 minutes), PG_SIM_WEBHOOK_TIMEOUT_MS (default 10000).
// Prints one line with its URL; SIGINT or SIGTERM closes every connection and exits 0.
import { PgSimulator } from './pg-simulator.ts';

let simulator;
try {
  simulator = new PgSimulator({
    secretKey: process.env.PG_SECRET_KEY || 'test_sk_simulator',
    delayMs: integerFrom('PG_SIM_DELAY_MS', 0),
    webhookUrl: process.env.PG_SIM_WEBHOOK_URL || null,
    webhookRetryDelaysMs: delaysFrom('PG_SIM_WEBHOOK_RETRY_DELAYS_MS'),
    webhookTimeoutMs: integerFrom('PG_SIM_WEBHOOK_TIMEOUT_MS', 10_000),
  });
  await simulator.start(integerFrom('PG_SIM_PORT', 4100), process.env.PG_SIM_HOST || '127.0.0.1');
} catch (error) {
  console.error(`pg-sim: ${error.message}`); // e.g. the port is taken, or the webhook URL is not one: one line says it
  process.exit(1);
}
const webhooks = simulator.webhookUrl === null ? '' : `, webhooks to ${simulator.webhookUrl}`;
console.log(`pg-sim: Toss Payments v1 simulator on ${simulator.url} (delay ${simulator.delayMs} ms${webhooks})`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  // Once: a second Ctrl-C while closing falls back to Node's default and kills the process.
  process.once(signal, () => void simulator.stop());
}

/** An empty variable means the default, as in the shop's own configuration. */
function integerFrom(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`pg-sim: ${name} must be a non-negative integer, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

/** A comma-separated list of waits in ms; unset or empty: undefined (Toss's schedule); `none`: no retries. */
function delaysFrom(name) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.trim() === 'none') return [];
  const delays = raw.split(',').map((part) => Number(part.trim()));
  if (!delays.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    console.error(`pg-sim: ${name} must be comma-separated non-negative integers (ms) or none, got "${raw}"`);
    process.exit(1);
  }
  return delays;
}
