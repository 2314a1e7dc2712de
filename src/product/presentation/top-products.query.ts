import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '../../common/http/query';
import { RANKING_WINDOW_DAYS } from '../domain/shop-calendar';

export class TopProductsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: RANKING_WINDOW_DAYS, default: 3, description: 'Calendar days in SHOP_TIMEZONE, today included' })
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(RANKING_WINDOW_DAYS)
  days = 3;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 5 })
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100)
  limit = 5;
}
