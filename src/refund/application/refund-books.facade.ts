import { Injectable } from '@nestjs/common';
import { RefundStore } from './ports/refund-store.port';
import { CancelsAccounted, RefundSettlement } from './refund-settlement';

/** A refund the shop recorded, by the gateway's key of its cancel. */
export interface BookedRefundCancel {
  transactionKey: string;
  amount: number;
  orderId: number;
}

/** The refund module's facade for the reconciliation: its refunds by gateway cancel, and the cancels it has not recorded yet. */
@Injectable()
export class RefundBooks {
  constructor(
    private readonly refunds: RefundStore,
    private readonly settlement: RefundSettlement,
  ) {}

  cancelsWithKeys(transactionKeys: string[]): Promise<BookedRefundCancel[]> {
    return this.refunds.withTransactionKeys(transactionKeys);
  }

  /** A cancel of the payment that paid an order that no refund recorded: the refund it completes, or a GATEWAY refund. */
  accountForCancel(payment: { paymentId: number; orderId: number }, cancel: { transactionKey: string; amount: number }): Promise<CancelsAccounted> {
    return this.settlement.account(payment, [cancel]);
  }
}
