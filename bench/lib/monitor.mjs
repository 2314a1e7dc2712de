// Where the machine's 2 cores went during a load: the server (and its cluster workers), all
// Postgres processes, this load generator, and everything else (Redis, other users' jobs).
// Reads /proc (Linux only; elsewhere the figures are null). Optionally samples pg_stat_activity
// to show what the server's Postgres connections were doing.
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime (or only stime) of one process in ticks, null when it is gone. @param {number} pid @param {boolean} [systemOnly] */
function processTicks(pid, systemOnly = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (systemOnly ? 0 : Number(fields[11])) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** @returns {{ pid: number, ppid: number, comm: string }[]} */
function processes() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, comm });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Busy and total ticks of the whole machine. */
function machineTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total, irq: cpu[5] + cpu[6] };
}

/** @param {number[]} roots */
function descendants(roots) {
  const all = processes();
  const result = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) if (!result.has(p.pid) && result.has(p.ppid)) result.add(p.pid), (grew = true);
  }
  return [...result];
}

const postgresPids = () => processes().filter((p) => p.comm === 'postgres' || p.comm.startsWith('postgres:')).map((p) => p.pid);
const redisPids = () => processes().filter((p) => p.comm.startsWith('redis-server')).map((p) => p.pid);

/** @param {number[]} pids @param {boolean} [systemOnly] */
function snapshot(pids, systemOnly = false) {
  /** @type {Map<number, number>} */
  const m = new Map();
  for (const pid of pids) {
    const t = processTicks(pid, systemOnly);
    if (t !== null) m.set(pid, t);
  }
  return m;
}

/** Ticks spent between two snapshots (processes born in between count from zero). @param {Map<number,number>} a @param {Map<number,number>} b */
function spent(a, b) {
  let sum = 0;
  for (const [pid, t] of b) sum += t - (a.get(pid) ?? 0);
  return sum;
}

/**
 * Starts measuring; the returned function stops and reports cores used (1.0 = one core busy).
 * @param {{ serverPid?: number|null, pool?: import('pg').Pool, sampleActivity?: boolean }} opts
 */
export function startMonitor({ serverPid = null, pool, sampleActivity = false }) {
  let linux = true;
  /** @type {any} */
  let before;
  try {
    before = {
      machine: machineTicks(),
      server: serverPid ? snapshot(descendants([serverPid])) : null,
      serverSys: serverPid ? snapshot(descendants([serverPid]), true) : null,
      postgres: snapshot(postgresPids()),
      redis: snapshot(redisPids()),
      self: processTicks(process.pid),
    };
  } catch {
    linux = false;
  }
  const started = performance.now();

  /** @type {Record<string, number>} */
  const states = {};
  let samples = 0;
  let timer = null;
  let busy = false;
  if (sampleActivity && pool) {
    timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const { rows } = await pool.query(
          // "idle in transaction > 100 ms": a transaction left open across something slow (a
          // network call would show here); the short ones are the server's own CPU between statements.
          `SELECT CASE WHEN state = 'active' AND wait_event_type IS NOT NULL THEN 'active, waiting ' || wait_event_type || ':' || wait_event
                       WHEN state = 'idle in transaction' AND state_change < clock_timestamp() - interval '100 milliseconds'
                         THEN 'idle in transaction > 100 ms'
                       ELSE coalesce(state, '?') END AS s, count(*)::int AS n
           FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'shop-payments' GROUP BY 1`,
        );
        samples++;
        for (const r of rows) states[r.s] = (states[r.s] ?? 0) + r.n;
      } catch {
        // a failed sample is skipped
      } finally {
        busy = false;
      }
    }, 50);
  }

  return () => {
    if (timer) clearInterval(timer);
    const wallS = (performance.now() - started) / 1000;
    /** @type {Record<string, number>} */
    const activity = {};
    for (const [s, n] of Object.entries(states)) activity[s] = Math.round((n / Math.max(samples, 1)) * 10) / 10;
    if (!linux || !before) return { wallS, cores: null, activity };
    const m = machineTicks();
    const machineBusy = ((m.busy - before.machine.busy) / TICKS_PER_SECOND) / wallS;
    const server = before.server && serverPid ? spent(before.server, snapshot(descendants([serverPid]))) / TICKS_PER_SECOND / wallS : null;
    const serverSys = before.serverSys && serverPid ? spent(before.serverSys, snapshot(descendants([serverPid]), true)) / TICKS_PER_SECOND / wallS : null;
    const postgres = spent(before.postgres, snapshot(postgresPids())) / TICKS_PER_SECOND / wallS;
    const loadgen = ((processTicks(process.pid) ?? 0) - (before.self ?? 0)) / TICKS_PER_SECOND / wallS;
    const redis = spent(before.redis, snapshot(redisPids())) / TICKS_PER_SECOND / wallS;
    const irq = (m.irq - before.machine.irq) / TICKS_PER_SECOND / wallS;
    const other = machineBusy - (server ?? 0) - postgres - loadgen - redis - irq;
    const r2 = (/** @type {number|null} */ x) => (x === null ? null : Math.round(x * 100) / 100);
    return {
      wallS,
      cores: { machine: r2(machineBusy), server: r2(server), serverSystem: r2(serverSys), postgres: r2(postgres), loadgen: r2(loadgen), redis: r2(redis), irq: r2(irq), other: r2(other) },
      activity,
    };
  };
}

/** Cores busy on the whole machine over `ms`. @param {number} ms */
async function busyCores(ms) {
  const a = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = machineTicks();
  return (b.busy - a.busy) / TICKS_PER_SECOND / (ms / 1000);
}

/**
 * Before a measured run: waits until the outbox relay has delivered the previous runs' events
 * (so their work does not spill into this run) and the machine is nearly idle (other jobs on
 * this shared box distort the figures), at most `timeoutS`. Returns what it saw.
 * @param {import('pg').Pool} pool @param {{ maxBusyCores?: number, timeoutS?: number }} [opts]
 */
export async function waitForQuiet(pool, { maxBusyCores = Number(process.env.BENCH_QUIET_CORES ?? 0.3), timeoutS = Number(process.env.BENCH_QUIET_TIMEOUT_S ?? 120) } = {}) {
  const started = performance.now();
  let backlog = 0;
  let busy = 0;
  let unchanged = 0;
  for (;;) {
    const previous = backlog;
    backlog = await outboxBacklog(pool);
    busy = await busyCores(1000);
    // A backlog that stays put for 3 s is not being relayed (OUTBOX_POLL_INTERVAL_MS=0): ignore it.
    unchanged = backlog === previous ? unchanged + 1 : 0;
    const drained = backlog === 0 || unchanged >= 3;
    const waitedS = (performance.now() - started) / 1000;
    if ((drained && busy <= maxBusyCores) || waitedS > timeoutS) {
      return { waitedS: Math.round(waitedS), quiet: drained && busy <= maxBusyCores, outboxBacklog: backlog, busyCoresBefore: Math.round(busy * 100) / 100 };
    }
  }
}

/** Outbox rows still PENDING: how far the relay is behind. @param {import('pg').Pool} pool */
export async function outboxBacklog(pool) {
  return Number((await pool.query(`SELECT count(*) AS n FROM outbox_events WHERE status = 'PENDING'`)).rows[0].n);
}

/**
 * Waits for quiet, runs `load` while monitoring, and adds what the monitor saw to its result.
 * @template T @param {{ pool: import('pg').Pool, serverPid: number|null, log: (m: string) => void }} ctx
 * @param {boolean} sampleActivity @param {() => Promise<T>} load @returns {Promise<T & { monitor: any }>}
 */
export async function measured(ctx, sampleActivity, load) {
  const before = await waitForQuiet(ctx.pool);
  if (!before.quiet) ctx.log(`  (not quiet after ${before.waitedS} s: ${before.busyCoresBefore} cores busy, outbox backlog ${before.outboxBacklog}; measuring anyway)`);
  const stop = startMonitor({ serverPid: ctx.serverPid, pool: ctx.pool, sampleActivity });
  const result = await load();
  const monitor = { ...stop(), before, outboxBacklogAfter: await outboxBacklog(ctx.pool) };
  return { ...result, monitor };
}
