import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '../../common/http/query';
import { ORDER_STATUSES } from '../domain/order';
import type { OrderStatus } from '../domain/order';

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional() @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(1_000_000)
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100)
  size = 20;
}
