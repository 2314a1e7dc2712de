import { ApiProperty } from '@nestjs/swagger';
import { CHECKOUT_METHODS } from '../domain/payment';

export class CheckoutResponse {
  @ApiProperty() orderId: number;
  @ApiProperty({ description: 'The gateway order id the widget and POST /payments use: new for every checkout, 6..64 of A-Za-z0-9_-', example: 'order-12-3' })
  gatewayOrderId: string;
  @ApiProperty({ description: "Won: the order's finalAmount" }) amount: number;
  @ApiProperty({ description: 'What the widget shows the customer' }) orderName: string;
  @ApiProperty({ enum: CHECKOUT_METHODS }) method: string;
  @ApiProperty({ description: 'Stable per user, reveals nothing of the user' }) customerKey: string;
  @ApiProperty({ description: "The order's: a PENDING order not paid by then expires" }) expiresAt: Date;
}
