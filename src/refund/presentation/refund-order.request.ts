import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
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
}
