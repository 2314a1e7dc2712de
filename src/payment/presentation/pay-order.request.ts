import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsText } from '../../common/http/is-text.validator';
import { CHECKOUT_METHODS } from '../domain/payment';

export const PAYMENT_METHODS = ['BALANCE', ...CHECKOUT_METHODS] as const;

/** The amount is never sent: payment takes the order's finalAmount. */
export class PayOrderRequest {
  @ApiProperty({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  orderId: number;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, default: 'BALANCE', example: 'CARD', description: 'BALANCE: the stored balance; the others go through the payment gateway' })
  @IsOptional() @IsIn(PAYMENT_METHODS)
  method?: (typeof PAYMENT_METHODS)[number];

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'tgen_20261202153000a1B2c',
    description:
      "Required with a gateway method (CARD, EASY_PAY, VIRTUAL_ACCOUNT), refused with BALANCE: what the gateway's checkout widget gave the customer for the order's finalAmount; characters (code points), no NUL or unpaired surrogates",
  })
  @ValidateIf((body: PayOrderRequest) => (body.method !== undefined && body.method !== 'BALANCE') || body.paymentKey !== undefined)
  @IsText(200)
  paymentKey?: string;

  @ApiPropertyOptional({
    minLength: 6,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_-]{6,64}$',
    example: 'order-12-3',
    description: "A gateway method only: the checkout's gatewayOrderId the customer paid in; absent: the order's latest checkout's, else order-N",
  })
  @IsOptional() @Matches(/^[A-Za-z0-9_-]{6,64}$/, { message: 'gatewayOrderId must be 6..64 of A-Za-z0-9_-' })
  gatewayOrderId?: string;
}
