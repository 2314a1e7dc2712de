import { PgBouncer } from './pgbouncer';

/** Server connections PgBouncer opens to one database: fewer than one instance's pool (20). */
const BOUNCER_POOL = 5;

/**
 * One way a built server reaches its database, for suites that run once each way
 * (`describe.each(POSTGRES_ROUTES)('... $name', (route) => ...)`): `open()` in beforeAll,
 * `env(databaseName)` into each instance's environment, `close()` in afterAll, after the
 * instances have stopped. The test's own connections go to Postgres directly either way.
 */
export class PostgresRoute {
  private bouncer: PgBouncer | null = null;

  constructor(
    readonly name: string,
    private readonly throughPgBouncer: boolean,
  ) {}

  async open(): Promise<void> {
    if (this.throughPgBouncer) this.bouncer = await new PgBouncer(BOUNCER_POOL).start();
  }

  /** The most server connections `instances` instances (pools of DB_POOL_SIZE 20) hold this way. */
  serverConnections(instances: number): number {
    return this.throughPgBouncer ? BOUNCER_POOL : instances * 20;
  }

  env(databaseName: string): Record<string, string> {
    if (!this.throughPgBouncer) return {};
    if (!this.bouncer) throw new Error(`${this.name}: open() the route first`);
    return { DATABASE_URL: this.bouncer.url(databaseName), DATABASE_POOLING: 'transaction' };
  }

  async close(): Promise<void> {
    await this.bouncer?.destroy();
  }
}

export const POSTGRES_ROUTES = [new PostgresRoute('directly', false), new PostgresRoute('through PgBouncer in transaction pooling mode', true)];
