import { ApiProperty } from '@nestjs/swagger';

export class BalanceResponse {
  @ApiProperty({ example: 42 }) userId: number;
  @ApiProperty({ example: 50_000, description: 'Won' }) balance: number;
}

export class BalanceLogResponse {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['CHARGE', 'USE', 'REFUND'] }) type: string;
  @ApiProperty({ description: 'Won, always positive' }) amount: number;
  @ApiProperty({ description: 'Balance right after this entry' }) balanceAfter: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The order paid or refunded; null for charges' }) orderId: number | null;
  @ApiProperty() createdAt: Date;
}

export class BalanceLogPageResponse {
  @ApiProperty({ type: [BalanceLogResponse] }) items: BalanceLogResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
