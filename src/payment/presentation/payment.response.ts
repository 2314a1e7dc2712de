import { ApiProperty } from '@nestjs/swagger';

export class VirtualAccountResponse {
  @ApiProperty() accountNumber: string;
  @ApiProperty() bankCode: string;
  @ApiProperty() customerName: string;
  @ApiProperty({ description: 'When the account closes unpaid (UTC, the same instant as the gateway\'s)' }) dueDate: Date;
}

export class PaymentResponse {
  @ApiProperty() id: number;
  @ApiProperty() orderId: number;
  @ApiProperty() userId: number;
  @ApiProperty({ description: "Won taken: the order's finalAmount" }) amount: number;
  @ApiProperty({ enum: ['BALANCE', 'CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT'], description: "For a gateway payment, what the gateway's answer names" }) method: string;
  @ApiProperty({
    enum: ['PROCESSING', 'AWAITING_DEPOSIT', 'COMPLETED', 'FAILED', 'CANCELLED', 'CANCEL_FAILED'],
    description:
      'PROCESSING: the outcome is not known yet (the reconciler finishes it); AWAITING_DEPOSIT: a virtual account was issued and waits for its deposit; ' +
      'CANCELLED: approved or issued by the gateway, then cancelled there by the shop; CANCEL_FAILED: that cancellation failed for good (an operator was alerted)',
  })
  status: string;
  @ApiProperty({ type: String, nullable: true, description: "The gateway's card approval number (card.approveNo); null for balance" })
  approvalNumber: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Why it failed: the gateway's code for a decline" }) failureCode: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The gateway's key of the charge; null for balance" }) paymentKey: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The gateway order id the charge was confirmed with (a checkout\'s, or order-N); null for balance' })
  gatewayOrderId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The easy-pay provider the gateway named (e.g. 카카오페이); else null' }) easyPayProvider: string | null;
  @ApiProperty({ type: VirtualAccountResponse, nullable: true, description: 'The virtual account issued for the payment; else null' })
  virtualAccount: VirtualAccountResponse | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: Date | null;
}
