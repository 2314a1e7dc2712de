import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CHECKOUT_METHODS } from '../domain/payment';

export class CreateCheckoutRequest {
  @ApiProperty({ enum: CHECKOUT_METHODS, description: 'How the customer pays in the gateway widget' })
  @IsIn(CHECKOUT_METHODS)
  method: (typeof CHECKOUT_METHODS)[number];
}
