import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from '../domain/order';

export class OrderItemRequest {
  @ApiProperty({ minimum: 1 })
  @IsInt() @Min(1)
  productOptionId: number;

  @ApiProperty({ minimum: 1, maximum: MAX_ITEM_QUANTITY })
  @IsInt() @Min(1) @Max(MAX_ITEM_QUANTITY)
  quantity: number;
}

export class CreateOrderRequest {
  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: MAX_ORDER_ITEMS, description: 'Each productOptionId at most once' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ORDER_ITEMS) @ValidateNested({ each: true }) @Type(() => OrderItemRequest)
  items: OrderItemRequest[];

  @ApiPropertyOptional({ description: 'One of your AVAILABLE coupons; it is only claimed when the order is paid' })
  @IsOptional() @IsInt() @Min(1)
  userCouponId?: number;
}
