import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

/** The amount is never sent: payment takes the order's finalAmount. */
export class PayOrderRequest {
  @ApiProperty({ minimum: 1 })
  @IsInt() @Min(1)
  orderId: number;
}
