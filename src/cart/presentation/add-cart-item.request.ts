import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_ITEM_QUANTITY } from '../domain/cart-item';

export class AddCartItemRequest {
  @ApiProperty({ type: 'integer', minimum: 1, example: 12 })
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  productOptionId: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_ITEM_QUANTITY,
    example: 2,
    description: `Added to what the cart already holds of this option; the sum may not pass ${MAX_ITEM_QUANTITY}`,
  })
  @IsInt() @Min(1) @Max(MAX_ITEM_QUANTITY)
  quantity: number;
}
