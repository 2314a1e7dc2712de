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
// 0; added before every confirm and cancel answer, ~200 behaves like a real gateway).
// Prints one line with its URL; SIGINT or SIGTERM closes every connection and exits 0.
import { PgSimulator } from './pg-simulator.ts';

const simulator = new PgSimulator({
  secretKey: process.env.PG_SECRET_KEY || 'test_sk_simulator',
  delayMs: integerFrom('PG_SIM_DELAY_MS', 0),
});
try {
  await simulator.start(integerFrom('PG_SIM_PORT', 4100), process.env.PG_SIM_HOST || '127.0.0.1');
} catch (error) {
  console.error(`pg-sim: ${error.message}`); // e.g. the port is taken: one line says it
  process.exit(1);
}
console.log(`pg-sim: Toss Payments v1 simulator on ${simulator.url} (delay ${simulator.delayMs} ms)`);

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
