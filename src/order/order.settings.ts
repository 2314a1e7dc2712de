import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';

/** The order module's settings: how long an unpaid order holds its stock, how many a user may hold, where orders are exported. */
export class OrderSettings {
  @Type(() => Number) @IsInt() @Min(10) @Max(86_400)
  ORDER_TTL_SECONDS = 600;

  /** 0 turns the sweeper off in this instance (another instance may run it). */
  @Type(() => Number) @IsInt() @Min(0) @Max(3_600_000)
  ORDER_SWEEP_INTERVAL_MS = 5_000;

  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  ORDER_SWEEP_BATCH_SIZE = 500;

  /** API.md, Limits: a user's PENDING or PAYING orders; one more is 409 TOO_MANY_OPEN_ORDERS. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  MAX_OPEN_ORDERS_PER_USER = 10;

  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DATA_PLATFORM_URL?: string;

  @Type(() => Number) @IsInt() @Min(100) @Max(60_000)
  DATA_PLATFORM_TIMEOUT_MS = 5_000;
}
