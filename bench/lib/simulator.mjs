// The payment-gateway simulator (tools/pg-sim.mjs) as a process of its own, answering every
// confirm and cancel after BENCH_PG_DELAY_MS (200 by default: about what a real gateway takes).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sleep } from './common.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SIMULATOR_SECRET = 'test_sk_bench';

/** @param {{ port: number, delayMs: number }} opts */
export async function startSimulator({ port, delayMs }) {
  const child = spawn(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', path.join(ROOT, 'tools/pg-sim.mjs')], {
    env: { ...process.env, PG_SIM_PORT: String(port), PG_SIM_DELAY_MS: String(delayMs), PG_SECRET_KEY: SIMULATOR_SECRET },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/sim/payments`).then(() => true, () => false);
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error('the payment-gateway simulator did not start');
    await sleep(100);
  }
  return {
    url,
    pid: /** @type {number} */ (child.pid),
    /** A checkout session per order, as the customer's browser would open it: the paymentKeys, in order. @param {{ orderId: number, amount: number }[]} orders */
    async checkout(orders) {
      const keys = new Array(orders.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < orders.length) {
            const i = next++;
            const res = await fetch(`${url}/sim/checkout`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ orderId: `order-${orders[i].orderId}`, amount: orders[i].amount }),
            });
            if (res.status !== 201) throw new Error(`/sim/checkout answered ${res.status}`);
            keys[i] = (await res.json()).paymentKey;
          }
        }),
      );
      return keys;
    },
    /** Approved payments the gateway holds, by status. @returns {Promise<Record<string, number>>} */
    async statuses() {
      const payments = /** @type {{ status: string }[]} */ (await (await fetch(`${url}/sim/payments`)).json());
      const out = /** @type {Record<string, number>} */ ({});
      for (const p of payments) out[p.status] = (out[p.status] ?? 0) + 1;
      return out;
    },
    /** Forgets the sessions of earlier runs, so its memory and lookups stay small. */
    async reset() {
      await fetch(`${url}/sim/reset`, { method: 'POST' });
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
}
