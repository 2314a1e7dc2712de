import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_ON_HAND } from '../domain/product-option';

export class UpdateOptionStockRequest {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_ON_HAND,
    example: 120,
    description: 'New physical count; not below what unpaid orders reserve',
  })
  @IsInt() @Min(0) @Max(MAX_ON_HAND)
  onHand: number;
}
