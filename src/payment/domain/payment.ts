export type PaymentMethod = 'BALANCE' | 'CARD';
export type PaymentStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'CANCEL_FAILED';

/** A payment attempt as clients see it (API.md `Payment`). */
export interface Payment {
  id: number;
  orderId: number;
  userId: number;
  amount: number;
  method: PaymentMethod;
  status: PaymentStatus;
  approvalNumber: string | null;
  failureCode: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** An attempt through the gateway, with what only the server knows: the customer's paymentKey and the key it calls the gateway with. */
export interface GatewayAttempt extends Payment {
  paymentKey: string;
  gatewayKey: string;
}
