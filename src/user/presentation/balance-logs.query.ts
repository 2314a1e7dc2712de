import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsText } from '../../common/http/is-text.validator';
import { QueryInt } from '../../common/http/query';

export class BalanceLogsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100)
  limit = 20;

  @ApiPropertyOptional({ maxLength: 64, example: 'aWQ6MjA', description: 'nextCursor of the previous page' })
  @IsOptional() @IsText(64)
  cursor?: string;
}
