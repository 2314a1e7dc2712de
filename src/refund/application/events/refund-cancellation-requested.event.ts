import type { RefundReceiveAccount } from '../../domain/refund';

/**
 * After commit: a gateway refund's amount is to be cancelled at the gateway. The request tries it
 * at once; this event, due a little later, is the retry that finishes it if the request could
 * not (timeout, crash), with backoff, until it succeeds or ends CANCEL_FAILED.
 */
export class RefundCancellationRequestedEvent {
  static readonly NAME = 'refund.cancellation-requested';
  /** Also the gateway Idempotency-Key of the cancellation: the request and every retry send the same. */
  declare readonly eventId: string;

  constructor(
    readonly refundId: number,
    readonly orderId: number,
    readonly paymentKey: string,
    readonly amount: number,
    readonly reason: string,
    /** A virtual-account order's: where the deposit goes back; null for the other methods. */
    readonly refundReceiveAccount: RefundReceiveAccount | null,
  ) {}
}
