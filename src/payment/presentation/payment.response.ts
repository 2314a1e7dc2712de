import { ApiProperty } from '@nestjs/swagger';

export class PaymentResponse {
  @ApiProperty() id: number;
  @ApiProperty() orderId: number;
  @ApiProperty() userId: number;
  @ApiProperty({ description: "Won taken from the balance: the order's finalAmount" }) amount: number;
  @ApiProperty({ enum: ['BALANCE'] }) method: string;
  @ApiProperty({ enum: ['COMPLETED'] }) status: string;
  @ApiProperty() createdAt: Date;
}
