import { ApiProperty } from '@nestjs/swagger';
import { ORDER_STATUSES } from '../domain/order-status';

export class OrderItemResponse {
  @ApiProperty() productId: number;
  @ApiProperty() productOptionId: number;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'Won, from the catalog when the order was placed' }) unitPrice: number;
}

export class OrderResponse {
  @ApiProperty() id: number;
  @ApiProperty() userId: number;
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty({ type: [OrderItemResponse] }) items: OrderItemResponse[];
  @ApiProperty({ type: Number, nullable: true }) userCouponId: number | null;
  @ApiProperty() originalAmount: number;
  @ApiProperty() discountAmount: number;
  @ApiProperty({ description: 'max(0, originalAmount - discountAmount): what payment takes' }) finalAmount: number;
  @ApiProperty({ description: 'Won given back by completed refunds (at most finalAmount)' }) refundedAmount: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ description: 'A PENDING order not paid by then becomes EXPIRED' }) expiresAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt: Date | null;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse] }) items: OrderResponse[];
  @ApiProperty() total: number;
}
