import { Logger } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { CommonSettings } from '../config/common.settings';
import { SESSION_OPTIONS } from './session-settings';
import { TransactionSettingsSubscriber } from './transaction-settings.subscriber';

/**
 * The pool gives up connecting after 3 s, and on an answer after 6 s (the server's own limits,
 * SESSION_SETTINGS, end a statement first). Those travel with each connection when it is a
 * session of our own; behind PgBouncer in transaction mode (DATABASE_POOLING=transaction) every
 * transaction sets them instead, and a connection sends nothing at connect that PgBouncer would
 * refuse (it passes application_name on).
 */
export function typeOrmOptions(config: CommonSettings, migrations: DataSourceOptions['migrations'], logger = new Logger('Postgres')): DataSourceOptions {
  const onConnectionError = (err: Error) => logger.warn({ err: err.message }, 'a Postgres connection died; the pool replaces it');
  const perTransaction = config.DATABASE_POOLING === 'transaction';
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    subscribers: perTransaction ? [TransactionSettingsSubscriber] : [],
    extra: {
      max: config.DB_POOL_SIZE,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      query_timeout: 6_000,
      keepAlive: true,
      application_name: 'shop-payments',
      ...(perTransaction ? {} : { options: SESSION_OPTIONS }),
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
