export type PaymentMethod = 'BALANCE' | 'CARD';

/** The methods a gateway payment can be prepared for (a checkout). */
export const CHECKOUT_METHODS = ['CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT'] as const;
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
  /** The gateway's key of the charge; null for a balance payment. */
  paymentKey: string | null;
  /** The gateway order id the charge was confirmed with; null for a balance payment. */
  gatewayOrderId: string | null;
  easyPayProvider: string | null;
  virtualAccount: { accountNumber: string; bankCode: string; customerName: string; dueDate: Date } | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** An attempt through the gateway, with the key it calls the gateway with (known to the server only). */
export interface GatewayAttempt extends Payment {
  paymentKey: string;
  gatewayOrderId: string;
  gatewayKey: string;
}
