import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

export interface VirtualAccountResponse {
  accountNumber: string;
  bankCode: string;
  customerName: string;
  dueDate: Date;
}

/**
 * Inline rather than a $ref: OpenAPI 3.0's `nullable` does not reach into an allOf, so a nullable
 * reference would not allow the null every payment without an account carries.
 */
const VIRTUAL_ACCOUNT_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  required: ['accountNumber', 'bankCode', 'customerName', 'dueDate'],
  properties: {
    accountNumber: { type: 'string', description: 'The account to transfer the finalAmount into' },
    bankCode: { type: 'string', description: "The bank's two-digit code (e.g. 20)" },
    customerName: { type: 'string', description: 'The name the account is issued in' },
    dueDate: { type: 'string', format: 'date-time', description: "When the account closes unpaid (UTC, the same instant as the gateway's)" },
  },
};

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
  @ApiProperty({ ...VIRTUAL_ACCOUNT_SCHEMA, description: 'The virtual account issued for the payment (AWAITING_DEPOSIT, and after); else null' })
  virtualAccount: VirtualAccountResponse | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: Date | null;
}
