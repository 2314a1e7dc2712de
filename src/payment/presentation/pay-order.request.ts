import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsText } from '../../common/http/is-text.validator';

export const PAYMENT_METHODS = ['BALANCE', 'CARD'] as const;

/** The amount is never sent: payment takes the order's finalAmount. */
export class PayOrderRequest {
  @ApiProperty({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  orderId: number;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, default: 'BALANCE', example: 'CARD' })
  @IsOptional() @IsIn(PAYMENT_METHODS)
  method?: (typeof PAYMENT_METHODS)[number];

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'tgen_20261202153000a1B2c',
    description: "Required with CARD, refused with BALANCE: what the gateway's checkout widget gave the customer for the order's finalAmount; characters (code points), no NUL or unpaired surrogates",
  })
  @ValidateIf((body: PayOrderRequest) => body.method === 'CARD' || body.paymentKey !== undefined)
  @IsText(200)
  paymentKey?: string;
}
