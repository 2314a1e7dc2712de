import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { beginRequestLog } from '../logging/request-log-context';
import { installInt8Parser } from './pg-int8';
import { Sql } from './sql';
import { typeOrmOptions } from './typeorm-options';
import { UnitOfWork } from './unit-of-work';
import { CommonSettings } from '../config/common.settings';

installInt8Parser();

/**
 * Postgres for every module, with the migrations of the whole schema that the composition root
 * hands over (src/migrations: one ordered history for one database).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(migrations: DataSourceOptions['migrations']): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [CommonSettings],
          useFactory: (config: CommonSettings) => ({
            ...typeOrmOptions(config, migrations),
            autoLoadEntities: true,
            retryAttempts: config.NODE_ENV === 'test' ? 1 : 10,
            retryDelay: 2_000,
          }),
        }),
        // Repositories take their EntityManager from TransactionHost, so a use case that opens a
        // transaction carries it to every listener and repository on the same async path. The same
        // per-request context holds the fields of the request's log lines.
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true, setup: beginRequestLog },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
            }),
          ],
        }),
      ],
      providers: [Sql, UnitOfWork],
      exports: [Sql, UnitOfWork],
    };
  }
}
