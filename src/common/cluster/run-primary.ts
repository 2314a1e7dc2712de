import cluster, { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { METRICS_REQUEST, METRICS_RESPONSE } from '../metrics/cluster-metrics';
import type { CommonSettings, WorkerRole } from '../config/common.settings';
import { answerHandoffPing, HANDOFF_PING } from './connection-handoff';

/** One JSON line, like the workers' pino lines, so one log pipeline reads both. */
function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const levels = { info: 30, warn: 40, error: 50 };
  process.stdout.write(`${JSON.stringify({ level: levels[level], time: new Date().toISOString(), pid: process.pid, context: 'ClusterPrimary', ...fields, msg })}\n`);
}

/**
 * What a worker runs besides requests (WORKER_ROLE): one worker runs the background jobs the
 * modules declared (Jobs), the others serve requests only. DB_POOL_SIZE is shared out, so that
 * N workers hold as many Postgres connections as one did.
 */
type Role = Exclude<WorkerRole, 'all'>;

/**
 * WEB_CONCURRENCY > 1: this process only supervises. It forks that many workers sharing one
 * port (node:cluster hands connections out), restarts one that dies (in the same role), and on
 * SIGTERM/SIGINT passes the signal on so that every worker drains its requests, then exits once
 * they have.
 */
export function runPrimary(config: CommonSettings): void {
  let stopping = false;
  const aggregator = new AggregatorRegistry();
  const roles = new Map<number, Role>();
  const pool = String(Math.max(2, Math.ceil(config.DB_POOL_SIZE / config.WEB_CONCURRENCY)));
  const fork = (role: Role): Worker => {
    const worker = cluster.fork({ DB_POOL_SIZE: pool, WORKER_ROLE: role });
    roles.set(worker.id, role);
    worker.once('online', () => log('info', 'worker started', { workerPid: worker.process.pid, role }));
    worker.on('message', (message: { type?: string; id?: string }) => {
      if (message?.type === HANDOFF_PING) return answerHandoffPing(worker, message.id!);
      if (message?.type !== METRICS_REQUEST) return;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_RESPONSE, id: message.id, text }),
        (error: Error) => worker.send({ type: METRICS_RESPONSE, id: message.id, error: error.message }),
      );
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log('info', 'all workers stopped');
        process.exit(0);
      }
      return;
    }
    const role = roles.get(worker.id) ?? 'requests';
    roles.delete(worker.id);
    log('error', 'worker died; starting a replacement', { workerPid: worker.process.pid, code, signal, role });
    setTimeout(() => fork(role), 1_000).unref();
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down: asking every worker to drain', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => {
      log('error', 'workers still running after the grace period; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 2_000).unref();
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);

  log('info', 'starting workers', { workers: config.WEB_CONCURRENCY, port: config.PORT, dbPoolSizeEach: Number(pool) });
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) fork(i === 0 ? 'jobs' : 'requests');
}
