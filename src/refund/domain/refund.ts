export type RefundStatus = 'PROCESSING' | 'COMPLETED' | 'CANCEL_FAILED';
/** How the refunded order was paid, so where the money goes back: the balance, or the gateway by the method it named. */
export type RefundMethod = 'BALANCE' | 'CARD' | 'EASY_PAY' | 'VIRTUAL_ACCOUNT';

/** Where a virtual account's deposit goes back (the gateway's refundReceiveAccount), passed on as is. */
export interface RefundReceiveAccount {
  bank: string;
  accountNumber: string;
  holderName: string;
}
/** The shop's own refund, or a cancel made at the gateway that none of the shop's explains. */
export type RefundSource = 'SHOP' | 'GATEWAY';

export interface RefundItem {
  productOptionId: number;
  quantity: number;
  amount: number;
}

/** A refund as clients see it (API.md `Refund`). */
export interface Refund {
  id: number;
  orderId: number;
  amount: number;
  reason: string;
  restock: boolean;
  source: RefundSource;
  items: RefundItem[];
  status: RefundStatus;
  createdAt: Date;
  completedAt: Date | null;
}
