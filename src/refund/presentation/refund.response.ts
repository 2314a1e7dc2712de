import { ApiProperty } from '@nestjs/swagger';

export class RefundItemResponse {
  @ApiProperty() productOptionId: number;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'Won these units returned, by the amount rule' }) amount: number;
}

export class RefundResponse {
  @ApiProperty() id: number;
  @ApiProperty() orderId: number;
  @ApiProperty({ description: 'Won returned: the sum of the items (a GATEWAY refund: the cancel\'s amount)' }) amount: number;
  @ApiProperty() reason: string;
  @ApiProperty() restock: boolean;
  @ApiProperty({ enum: ['SHOP', 'GATEWAY'], description: "SHOP: the shop's own; GATEWAY: a cancel made at the gateway that no refund of the shop explains (items empty)" })
  source: string;
  @ApiProperty({ type: [RefundItemResponse] }) items: RefundItemResponse[];
  @ApiProperty({
    enum: ['PROCESSING', 'COMPLETED', 'CANCEL_FAILED'],
    description: 'PROCESSING: the gateway has not confirmed the cancel yet; CANCEL_FAILED: it never did (alerted), the units are refundable again',
  })
  status: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: Date | null;
}
