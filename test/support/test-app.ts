import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { NEST_APP_OPTIONS, prepareApp } from '../../src/app.factory';
import { openApiDocument } from '../../src/app.openapi';
import { AppConfig, loadConfig } from '../../src/app.settings';
import { REDIS } from '../../src/common/redis/redis.module';
import { ADMIN_DATABASE_URL, createDatabase, dropDatabase, REDIS_BASE_URL, redisUrl, withPort } from './infrastructure';
import { checkAnswers, OpenApiContract, OpenApiDocument } from './openapi-contract';

export const TEST_JWT_SECRET = 'test-secret-for-e2e-only-0123456789';

export interface TestAppOptions {
  env?: Record<string, string>;
  /** A Redis db index of its own, for tests that flush it. */
  redisDb?: number;
  /** Connect the app to Postgres and Redis through these local ports (e.g. a TcpProxy). */
  via?: { postgresPort?: number; redisPort?: number };
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  config: AppConfig;
  db: DataSource;
  redis: Redis;
  http: () => ReturnType<typeof request>;
  token: (userId: number, role?: 'user' | 'admin') => string;
  close: () => Promise<void>;
}

/**
 * Boots the real application, exactly as main.ts prepares it, against a database created for
 * this test file and a Redis key prefix of its own, listening on an ephemeral loopback port so
 * that tests send real, concurrent HTTP requests. Every answer it gives is checked against its
 * OpenAPI document (checkAnswers): one the document does not describe fails the test.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const name = `shop_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(name);

  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: withPort(ADMIN_DATABASE_URL, options.via?.postgresPort, `/${name}`),
    REDIS_URL: withPort(REDIS_BASE_URL, options.via?.redisPort, `/${options.redisDb ?? 0}`),
    REDIS_KEY_PREFIX: `${name}:`,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_POOL_SIZE: '20',
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.override) builder = options.override(builder);
  let app: NestExpressApplication | undefined;
  try {
    app = (await builder.compile()).createNestApplication<NestExpressApplication>(NEST_APP_OPTIONS);
    // First of all middleware, so that it sees every answer, those of the HTTP edge's refusals too.
    app.use(checkAnswers(new OpenApiContract(openApiDocument(app) as unknown as OpenApiDocument)));
    await prepareApp(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // An app that cannot start (what some tests assert) leaves nothing behind.
    await app?.close().catch(() => undefined);
    await dropDatabase(name);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const jwt = new JwtService({ secret: TEST_JWT_SECRET });

  return {
    app,
    baseUrl,
    config,
    db: app.get(DataSource),
    redis: app.get<Redis>(REDIS),
    http: () => request(baseUrl),
    token: (userId, role = 'user') => jwt.sign({ sub: String(userId), role }),
    close: async () => {
      const redis = new Redis(redisUrl(options.redisDb));
      await app.close();
      const keys = await redis.keys(`${name}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await dropDatabase(name);
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
