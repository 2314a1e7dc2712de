import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Which background jobs this process runs (common/scheduling). `all`: a single process does
 * everything; with WEB_CONCURRENCY > 1 the primary gives one worker `jobs` and the others
 * `requests`, and separate instances may be given the same roles.
 */
export const WORKER_ROLES = ['all', 'jobs', 'requests'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** The settings of the plumbing every module runs on (the service, Postgres, Redis, HTTP, the outbox). Each module declares its own. */
export class CommonSettings {

  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  /** Worker processes (node:cluster) sharing PORT; 1 runs the app in this process. */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  WEB_CONCURRENCY = 1;

  @IsString() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Type(() => Number) @IsInt() @Min(2) @Max(200)
  DB_POOL_SIZE = 20;

  /**
   * What one connection of DATABASE_URL is: `session`, a server session of this instance's own
   * (Postgres itself); `transaction`, a server session for one transaction only (PgBouncer with
   * pool_mode = transaction), so nothing the service sets may outlive one. README, "Behind PgBouncer".
   */
  @IsIn(['session', 'transaction'])
  DATABASE_POOLING: 'session' | 'transaction' = 'session';

  @IsString() @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  @IsString() @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1..64 of [A-Za-z0-9:_-]' })
  REDIS_KEY_PREFIX = 'shop:';

  @IsString() @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE?: number;

  /** How often each instance looks for due outbox rows; 0 turns relaying off in this instance. */
  @Type(() => Number) @IsInt() @Min(0) @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 200;

  /** A look waits for its slowest delivery: 50 fell thousands of events behind at full load (bench/README, lever 12). */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000)
  OUTBOX_BATCH_SIZE = 200;

  /** API.md asks for at least 10; 12 with the default backoff rides out ~18 minutes of receiver outage. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  OUTBOX_MAX_ATTEMPTS = 12;

  @Type(() => Number) @IsInt() @Min(1) @Max(600_000)
  OUTBOX_BACKOFF_BASE_MS = 1_000;

  @Type(() => Number) @IsInt() @Min(1) @Max(3_600_000)
  OUTBOX_BACKOFF_MAX_MS = 300_000;

  /** A claimed row is hidden from other relays this long; must exceed the slowest delivery. */
  @Type(() => Number) @IsInt() @Min(1_000) @Max(600_000)
  OUTBOX_LEASE_MS = 30_000;

  /** DELIVERED outbox rows are deleted after this many days (a consumer that reads its rows back declares longer). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3_650)
  OUTBOX_RETENTION_DAYS = 7;

  /**
   * A client gets this long to send its request line and headers (a connection that sends
   * nothing is closed after it too); Node's 60 s lets a few slow clients hold many sockets.
   */
  @Type(() => Number) @IsInt() @Min(100) @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /**
   * ... and this long for the whole request, body included (a 100 kB body needs far less). It
   * also ends a connection whose client sends requests but stops reading the answers.
   */
  @Type(() => Number) @IsInt() @Min(100) @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** An idle keep-alive connection is closed after this; a load balancer in front must give up sooner. */
  @Type(() => Number) @IsInt() @Min(100) @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Type(() => Number) @IsInt() @Min(0) @Max(120_000)
  SHUTDOWN_GRACE_MS = 10_000;

  /** Set by the cluster primary for its workers; see WORKER_ROLES. */
  @IsIn(WORKER_ROLES)
  WORKER_ROLE: WorkerRole = 'all';
}
