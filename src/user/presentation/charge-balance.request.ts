import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_CHARGE_AMOUNT } from '../domain/balance';

export class ChargeBalanceRequest {
  @ApiProperty({ minimum: 1, maximum: MAX_CHARGE_AMOUNT, example: 50_000, description: 'Won to add' })
  @IsInt() @Min(1) @Max(MAX_CHARGE_AMOUNT)
  amount: number;
}
