/**
 * After commit: the gateway listed the cancels of the payment that paid an order (read after a
 * webhook, or found by the reconciliation). The refund module holds them against its refunds:
 * each is the refund that asked for it, or a cancel the shop did not make.
 */
export class GatewayCancelsReportedEvent {
  static readonly NAME = 'payment.gateway-cancels-reported';
  declare readonly eventId: string;

  constructor(
    readonly paymentId: number,
    readonly orderId: number,
    readonly cancels: { transactionKey: string; amount: number }[],
  ) {}
}
