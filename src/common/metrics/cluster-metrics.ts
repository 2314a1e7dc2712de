import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, Registry } from 'prom-client';

export const METRICS_REQUEST = 'shop:metrics-request';
export const METRICS_RESPONSE = 'shop:metrics-response';

interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: string;
  text?: string;
  error?: string;
}

/** In a cluster worker: let the primary collect this registry along with the other workers'. */
export function shareWithPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  // prom-client installs the worker's answering listener only when an AggregatorRegistry is built.
  new AggregatorRegistry();
}

/**
 * A scrape that lands on one worker must still describe the whole instance, so under
 * WEB_CONCURRENCY the worker asks the primary to merge every worker's metrics.
 */
export function metricsOfWholeCluster(timeoutMs = 5_000): Promise<string> | null {
  if (!cluster.isWorker || !process.send) return null;
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (message: MetricsResponse) => {
      if (message?.type !== METRICS_RESPONSE || message.id !== id) return;
      done();
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(`cluster metrics failed: ${message.error}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('cluster metrics: the primary did not answer'));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    process.send!({ type: METRICS_REQUEST, id });
  });
}
