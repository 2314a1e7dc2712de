import { ApiProperty } from '@nestjs/swagger';

export class ReconciliationMismatchResponse {
  @ApiProperty({ enum: ['CHARGE_WITHOUT_PAYMENT', 'CANCEL_WITHOUT_REFUND', 'PAYMENT_WITHOUT_CHARGE', 'AMOUNT_MISMATCH'] }) kind: string;
  @ApiProperty() paymentKey: string;
  @ApiProperty({ type: String, nullable: true, description: "The gateway's transaction, when one is involved" }) transactionKey: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "The shop's order, when one is known" }) orderId: number | null;
  @ApiProperty({ type: Number, nullable: true }) gatewayAmount: number | null;
  @ApiProperty({ type: Number, nullable: true }) shopAmount: number | null;
  @ApiProperty({
    enum: ['CANCELLED', 'RECORDED', 'ALERTED'],
    description: 'CANCELLED: the charge is being cancelled at the gateway; RECORDED: the cancel is recorded (the refund it completes, or a GATEWAY refund); ALERTED: for an operator',
  })
  action: string;
}

export class ReconciliationResponse {
  @ApiProperty() id: number;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ description: "Transactions at the gateway in the window (by the gateway's transactionAt)" }) gatewayTransactions: number;
  @ApiProperty({ description: "Of those, matched with the shop's records, amounts equal" }) matched: number;
  @ApiProperty({ description: 'Won of the matched transactions' }) matchedAmount: number;
  @ApiProperty({ type: [ReconciliationMismatchResponse] }) mismatches: ReconciliationMismatchResponse[];
  @ApiProperty() createdAt: Date;
}
