import 'reflect-metadata';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { NEST_APP_OPTIONS, prepareApp } from './app.factory';
import { connectionsHandedOver } from './common/cluster/connection-handoff';
import { runPrimary } from './common/cluster/run-primary';
import { AppConfig, loadConfig } from './app.settings';
import { ConfigError } from './common/config/settings';
import { Readiness } from './common/health/readiness';
import { HttpDrain } from './common/http/http-drain';

function configOrExit(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function serve(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), NEST_APP_OPTIONS);
  await prepareApp(app);
  const logger = app.get(Logger);
  const http = new HttpDrain(app.getHttpServer(), cluster.isWorker ? connectionsHandedOver : undefined);
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
    // Every request accepted is answered before anything it needs closes. Then Nest stops the
    // background jobs, and only then closes the Postgres and Redis pools.
    app.get(Readiness).drain();
    await http.drain(config.SHUTDOWN_GRACE_MS);
    logger.log('requests drained', 'Main');
    await app.close();
    logger.log('shutdown complete', 'Main');
    process.exit(0);
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);
  await app.listen(config.PORT);
  logger.log({ port: config.PORT }, 'listening', 'Main');
}

const config = configOrExit();
const start = cluster.isPrimary && config.WEB_CONCURRENCY > 1 ? Promise.resolve(runPrimary(config)) : serve(config);
start.catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'start-up failed', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
