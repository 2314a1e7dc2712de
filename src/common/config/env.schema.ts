import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, Validate, ValidateIf } from 'class-validator';
import { IsTimeZone } from './is-time-zone.validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ENV_KEYS = [
  'NODE_ENV', 'PORT', 'WEB_CONCURRENCY', 'DATABASE_URL', 'DB_POOL_SIZE', 'DATABASE_POOLING', 'REDIS_URL', 'REDIS_KEY_PREFIX', 'JWT_SECRET', 'DATA_PLATFORM_URL',
  'ORDER_TTL_SECONDS', 'ORDER_SWEEP_INTERVAL_MS', 'ORDER_SWEEP_BATCH_SIZE', 'SHOP_TIMEZONE', 'RATE_LIMIT_PER_MINUTE', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS',
  'OUTBOX_POLL_INTERVAL_MS', 'OUTBOX_BATCH_SIZE', 'OUTBOX_MAX_ATTEMPTS', 'OUTBOX_BACKOFF_BASE_MS', 'OUTBOX_BACKOFF_MAX_MS', 'OUTBOX_LEASE_MS',
  'OUTBOX_RETENTION_DAYS', 'DATA_PLATFORM_TIMEOUT_MS', 'PAYMENT_LOCK_TTL_MS', 'MAX_OPEN_ORDERS_PER_USER',
  'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  'PG_BASE_URL', 'PG_SECRET_KEY', 'PG_TIMEOUT_MS', 'PG_RECONCILE_INTERVAL_MS', 'PG_WATCH_SECONDS', 'ALERT_WEBHOOK_URL',
  'NATS_URL', 'EVENT_LOG_STREAM',
] as const satisfies readonly (keyof EnvSchema)[];

/** Every setting the process reads from its environment; `.env.example` lists the same. */
export class EnvSchema {
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

  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DATA_PLATFORM_URL?: string;

  @Type(() => Number) @IsInt() @Min(10) @Max(86_400)
  ORDER_TTL_SECONDS = 600;

  /** 0 turns the sweeper off in this instance (another instance may run it). */
  @Type(() => Number) @IsInt() @Min(0) @Max(3_600_000)
  ORDER_SWEEP_INTERVAL_MS = 5_000;

  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  ORDER_SWEEP_BATCH_SIZE = 500;

  @Validate(IsTimeZone)
  SHOP_TIMEZONE = 'Asia/Seoul';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE?: number;

  /** How often each instance looks for due outbox rows; 0 turns relaying off in this instance. */
  @Type(() => Number) @IsInt() @Min(0) @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 200;

  @Type(() => Number) @IsInt() @Min(1) @Max(1_000)
  OUTBOX_BATCH_SIZE = 50;

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

  /** DELIVERED outbox rows are deleted after this many days (the ranking's own rows after 31 at least). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3_650)
  OUTBOX_RETENTION_DAYS = 7;

  @Type(() => Number) @IsInt() @Min(100) @Max(60_000)
  DATA_PLATFORM_TIMEOUT_MS = 5_000;

  /** NATS with JetStream that the event log is published to; unset = no event log (nothing recorded for it). */
  @IsOptional() @IsString() @Matches(/^(nats|tls):\/\/[^\s,]+$/, { message: 'NATS_URL must be one nats:// or tls:// URL' })
  NATS_URL?: string;

  /** The JetStream stream of the event log (subjects shop.orders.>), created when missing. */
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'EVENT_LOG_STREAM must be 1..64 of [A-Za-z0-9_-]' })
  EVENT_LOG_STREAM = 'SHOP_ORDERS';

  /**
   * The lock only saves duplicate work (the database guard is what prevents a double payment),
   * and a crashed holder keeps its order locked until it expires: 3 s is ~100 times a payment's
   * p99 under load, and what a client retrying after a crash waits at most.
   */
  @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  PAYMENT_LOCK_TTL_MS = 3_000;

  /** API.md, Limits: a user's PENDING or PAYING orders; one more is 409 TOO_MANY_OPEN_ORDERS. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  MAX_OPEN_ORDERS_PER_USER = 10;

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

  /** The payment gateway (Toss Payments v1 API); unset, card payments answer 400 PAYMENT_METHOD_UNAVAILABLE. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PG_BASE_URL?: string;

  @ValidateIf((env: EnvSchema) => env.PG_BASE_URL !== undefined)
  @IsString({ message: 'PG_SECRET_KEY is required when PG_BASE_URL is set' }) @MinLength(1)
  PG_SECRET_KEY?: string;

  /** How long one gateway call may take before its outcome counts as unknown. */
  @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  PG_TIMEOUT_MS = 10_000;

  /** How often each instance finishes card payments and refunds left PROCESSING; 0 turns it off here. */
  @Type(() => Number) @IsInt() @Min(0) @Max(3_600_000)
  PG_RECONCILE_INTERVAL_MS = 30_000;

  /** How long an attempt whose outcome was ever unknown is still checked for a late approval. */
  @Type(() => Number) @IsInt() @Min(0) @Max(7 * 86_400)
  PG_WATCH_SECONDS = 900;

  /** Where alerts an operator must act on are POSTed (chat-compatible `text`); unset, they are logged at error level. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  ALERT_WEBHOOK_URL?: string;
}
