import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { NEST_APP_OPTIONS, prepareApp } from './app.factory';
import { ConfigError, loadConfig } from './common/config/app-config';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), NEST_APP_OPTIONS);
  await prepareApp(app);
  const logger = app.get(Logger);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log({ signal }, 'shutting down: no new connections, draining in-flight requests', 'Main');
    // A request still running after the grace period must not keep a stopping instance alive forever.
    setTimeout(() => {
      logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown grace period over; exiting with work still open', 'Main');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
    // Nest stops background jobs, then closes the HTTP server (waiting for in-flight requests),
    // and only then the Postgres and Redis pools.
    await app.close();
    logger.log('shutdown complete', 'Main');
    process.exit(0);
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
  await app.listen(config.PORT);
  logger.log({ port: config.PORT }, 'listening', 'Main');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'start-up failed', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
