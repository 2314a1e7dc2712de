export type PaymentMethod = 'BALANCE' | 'CARD' | 'EASY_PAY' | 'VIRTUAL_ACCOUNT';
export type GatewayMethod = Exclude<PaymentMethod, 'BALANCE'>;

/** The methods a gateway payment can be prepared for (a checkout) and made with. */
export const CHECKOUT_METHODS = ['CARD', 'EASY_PAY', 'VIRTUAL_ACCOUNT'] as const satisfies readonly GatewayMethod[];

/** The gateway's word for how a payment was made (카드, 간편결제, 가상계좌, or the English names); null for one the shop does not know. */
export function methodOfAnswer(gatewayMethod: string | null): GatewayMethod | null {
  switch (gatewayMethod) {
    case '카드':
    case 'CARD':
      return 'CARD';
    case '간편결제':
    case 'EASY_PAY':
      return 'EASY_PAY';
    case '가상계좌':
    case 'VIRTUAL_ACCOUNT':
      return 'VIRTUAL_ACCOUNT';
    default:
      return null;
  }
}
export type PaymentStatus = 'PROCESSING' | 'AWAITING_DEPOSIT' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'CANCEL_FAILED';

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
  /** A virtual account's: when it closes unpaid; else null. */
  depositDueAt: Date | null;
}
