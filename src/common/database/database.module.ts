import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { beginRequestLog } from '../logging/request-log-context';
import { installInt8Parser } from './pg-int8';
import { Sql } from './sql';
import { typeOrmOptions } from './typeorm-options';
import { UnitOfWork } from './unit-of-work';

installInt8Parser();

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...typeOrmOptions(config),
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
})
export class DatabaseModule {}
