import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { IsText } from '../../common/http/is-text.validator';
import { MAX_COUPON_QUANTITY } from '../domain/coupon';
import type { DiscountType } from '../domain/discount';

export class CreateCouponRequest {
  @ApiProperty({ example: 'Black Friday 10%', minLength: 1, maxLength: 200, description: 'Characters (code points), trimmed; no NUL or unpaired surrogates' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsText(200)
  name: string;

  @ApiProperty({ enum: ['FIXED', 'RATE'] })
  @IsIn(['FIXED', 'RATE'])
  discountType: DiscountType;

  @ApiProperty({ description: 'FIXED: won off, 1..100,000,000. RATE: percent off, 1..100 (rounded down to a won)', example: 10 })
  @IsInt() @Min(1) @Max(100_000_000)
  discountValue: number;

  @ApiProperty({ minimum: 1, maximum: MAX_COUPON_QUANTITY, example: 100 })
  @IsInt() @Min(1) @Max(MAX_COUPON_QUANTITY)
  totalQuantity: number;

  @ApiPropertyOptional({ description: 'ISO-8601 timestamp in the future; none means no expiry', example: '2099-12-31T15:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  expiresAt?: string;
}
