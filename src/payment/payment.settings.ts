import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidateIf } from 'class-validator';

/** The payment module's settings: the payment gateway and how long it is waited for, the order's payment lock. */
export class PaymentSettings {
  /** The payment gateway (Toss Payments v1 API); unset, card payments answer 400 PAYMENT_METHOD_UNAVAILABLE. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PG_BASE_URL?: string;

  @ValidateIf((env: PaymentSettings) => env.PG_BASE_URL !== undefined)
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

  /**
   * The lock only saves duplicate work (the database guard is what prevents a double payment),
   * and a crashed holder keeps its order locked until it expires: 3 s is ~100 times a payment's
   * p99 under load, and what a client retrying after a crash waits at most.
   */
  @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  PAYMENT_LOCK_TTL_MS = 3_000;
}
