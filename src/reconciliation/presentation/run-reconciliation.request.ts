import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';

export class RunReconciliationRequest {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T15:00:00Z', description: 'Start of the window, inclusive (ISO-8601)' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-02T15:00:00Z', description: 'End of the window, exclusive; at most 31 days after from' })
  @IsISO8601({ strict: true })
  to: string;
}
