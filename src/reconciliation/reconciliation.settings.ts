import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** The daily reconciliation against the gateway's transaction list. */
export class ReconciliationSettings {
  /** The hour of the day (Asia/Seoul) from which the previous day is reconciled, once. */
  @Type(() => Number) @IsInt() @Min(0) @Max(23)
  RECONCILIATION_HOUR = 4;
}
