/**
 * After commit: a charge at the gateway must not stand (approved after the shop gave up on it,
 * or approved but the order could not be completed), so it is cancelled there. An outbox event
 * so that the cancellation is retried with backoff until it succeeds or ends CANCEL_FAILED.
 */
export class PaymentCancellationRequestedEvent {
  static readonly NAME = 'payment.cancellation-requested';
  /** Also the gateway Idempotency-Key of the cancellation: one per cancellation, the same on every retry. */
  declare readonly eventId: string;

  constructor(
    /** Null for a charge no attempt of the shop carries (found by the reconciliation). */
    readonly paymentId: number | null,
    readonly orderId: number,
    readonly paymentKey: string,
    readonly reason: string,
  ) {}
}
