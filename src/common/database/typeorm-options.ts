import { Logger } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { CommonSettings } from '../config/common.settings';

/**
 * Timeouts keep an outage or a stuck lock from hanging a request: the pool gives up connecting
 * after 3 s, statements after 5 s, lock waits after 3 s, so a client gets a 503 well within 5 s.
 */
export function typeOrmOptions(config: CommonSettings, migrations: DataSourceOptions['migrations'], logger = new Logger('Postgres')): DataSourceOptions {
  const onConnectionError = (err: Error) => logger.warn({ err: err.message }, 'a Postgres connection died; the pool replaces it');
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    extra: {
      max: config.DB_POOL_SIZE,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 5_000,
      lock_timeout: 3_000,
      idle_in_transaction_session_timeout: 15_000,
      query_timeout: 6_000,
      keepAlive: true,
      application_name: 'shop-payments',
      // A backend whose client died (a killed process) notices within a second even while it
      // waits on a lock, and rolls back, freeing what it held (row locks, an Idempotency-Key claim).
      options: '-c client_connection_check_interval=1000',
      // Without it a backend terminated (pg_terminate_backend, a failover) just as its new
      // connection is handed out crashes the process: pg-pool takes its own 'error' listener off
      // before TypeORM adds one, and the server's message can arrive in the same read. A
      // listener for the connection's whole life closes that gap; the pool still retires it.
      onConnect: (client: ClientBase) => {
        client.on('error', onConnectionError);
      },
    },
  };
}
