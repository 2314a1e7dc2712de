import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { openApiDocument } from './app.openapi';
import { serveOpenApi } from './common/docs/openapi';
import { runMigrationsLocked } from './common/database/run-migrations';
import { CommonSettings } from './common/config/common.settings';
import { configureHttpServer } from './common/http/http-server';
import { HttpServerLimits } from './common/http/http-server-limits';
import { jsonBodyOptions } from './common/http/json-body';
import { refuseRepeatedHeaders } from './common/http/single-headers';

export const NEST_APP_OPTIONS = { bodyParser: false, bufferLogs: true } as const;

/**
 * Everything between "the module graph exists" and "ready to serve", shared by main.ts and the
 * e2e tests so that tests exercise exactly what production runs. Migrations are applied before
 * init, because start-up hooks (such as rebuilding Redis state) read the tables; the HTTP
 * server's socket limits are set before it listens.
 */
export async function prepareApp(app: NestExpressApplication): Promise<INestApplication> {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(refuseRepeatedHeaders);
  app.useBodyParser('json', jsonBodyOptions());
  serveOpenApi(app, openApiDocument(app));
  await runMigrationsLocked(app.get(DataSource));
  await app.init();
  configureHttpServer(app.getHttpServer(), app.get(CommonSettings), app.get(HttpServerLimits).longestRequestMs);
  return app;
}
