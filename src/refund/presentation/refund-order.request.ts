import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsText } from '../../common/http/is-text.validator';
import { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from '../../order/application/order-refunds.facade';

export class RefundItemRequest {
  @ApiProperty({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  productOptionId: number;

  @ApiProperty({ minimum: 1, maximum: MAX_ITEM_QUANTITY })
  @IsInt() @Min(1) @Max(MAX_ITEM_QUANTITY)
  quantity: number;
}

/** Where a virtual account's deposit goes back, passed to the gateway's cancel as is. */
export class RefundReceiveAccountRequest {
  @ApiProperty({ minLength: 1, maxLength: 20, example: '20', description: "The bank: the gateway's two-digit code (e.g. 20) or its name (e.g. 우리)" })
  @IsText(20)
  bank: string;

  @ApiProperty({ pattern: '^[0-9]{6,20}$', example: '1002123456789', description: 'The account number, 6..20 digits without hyphens' })
  @Matches(/^[0-9]{6,20}$/, { message: 'accountNumber must be 6..20 digits without hyphens' })
  accountNumber: string;

  @ApiProperty({ minLength: 1, maxLength: 60, example: '김토스', description: "The account holder's name" })
  @IsText(60)
  holderName: string;
}

export class RefundOrderRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Why, 1..200 characters; also sent to the payment gateway as the cancel reason' })
  @IsText(200)
  reason: string;

  @ApiPropertyOptional({
    type: [RefundItemRequest],
    minItems: 1,
    maxItems: MAX_ORDER_ITEMS,
    description: 'Units to refund, each option at most once; absent: everything not refunded yet',
  })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ORDER_ITEMS) @ValidateNested({ each: true }) @Type(() => RefundItemRequest)
  items?: RefundItemRequest[];

  @ApiPropertyOptional({ default: true, description: 'Put the refunded units back on hand' })
  @IsOptional() @IsBoolean()
  restock?: boolean;

  @ApiPropertyOptional({ type: RefundReceiveAccountRequest, description: 'Required for an order paid into a virtual account (else 400 REFUND_ACCOUNT_REQUIRED): where the money goes back' })
  @IsOptional() @ValidateNested() @Type(() => RefundReceiveAccountRequest)
  refundReceiveAccount?: RefundReceiveAccountRequest;
}
