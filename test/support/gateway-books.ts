import { Client } from 'pg';
import { until } from './http';
import { TestApp } from './test-app';

/**
 * Helpers the gateway tests share: reading the shop's books straight from Postgres, holding an
 * order's row lock from a connection of the test's own, and waiting for the outbox to drain.
 */

/** A Prometheus sample's value (the sum over every series of `name` whose labels include `labels`), 0 when none. */
export async function metricValue(t: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await t.http().get('/metrics').expect(200)).text;
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** Waits until no outbox row of these consumers (all, when none are named) is PENDING: everything due has been delivered or dead-lettered. */
export function outboxDrained(t: TestApp, ms = 10_000, consumers?: string[]): Promise<void> {
  return until(async () => {
    const rows = await t.db.query(`SELECT 1 FROM outbox_events WHERE status = 'PENDING' AND ($1::varchar[] IS NULL OR consumer = ANY($1)) LIMIT 1`, [consumers ?? null]);
    return rows.length === 0;
  }, ms);
}

/** Sessions of this test's database waiting for a lock (a row lock held by `OrderRowLock`, say). */
export async function lockWaiters(t: TestApp): Promise<number> {
  const [{ n }] = await t.db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active' AND pid <> pg_backend_pid()`,
  );
  return n;
}

/** An order's row held FOR UPDATE by a connection of the test's own, until released: whoever needs it waits, in turn. */
export class OrderRowLock {
  private constructor(private readonly client: Client) {}

  static async take(t: TestApp, orderId: number): Promise<OrderRowLock> {
    const client = new Client({ connectionString: t.config.DATABASE_URL });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    return new OrderRowLock(client);
  }

  async release(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } finally {
      await this.client.end();
    }
  }
}

export interface RefundView {
  id: number;
  orderId: number;
  amount: number;
  reason: string;
  restock: boolean;
  source: 'SHOP' | 'GATEWAY';
  items: { productOptionId: number; quantity: number; amount: number }[];
  status: string;
  createdAt: string;
  completedAt: string | null;
}
