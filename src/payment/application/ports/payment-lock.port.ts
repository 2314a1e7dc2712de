/** A held lock, to be given back to `release`. */
export interface HeldPaymentLock {
  release(): Promise<unknown>;
}

/**
 * The original design's lock on one order's payment, taken by the user who pays it:
 * `payment:order:{orderId}:user:{userId}`. It only saves duplicate work: the PENDING guard in
 * Postgres is what makes a second payment impossible, even when the lock expires mid-flight.
 * Keyed by the payer too, so that the owner's check can wait for the claim (one round trip
 * less): a stranger naming someone else's order takes a lock of their own, which its owner never
 * meets, and is refused by the claim (404), or by the owner's check lockAsPayer makes when
 * the stranger's own lock is held.
 */
export abstract class PaymentLock {
  /** 409 PAYMENT_IN_PROGRESS when another request holds it, 503 when the lock service is down. */
  abstract acquire(orderId: number, userId: number): Promise<HeldPaymentLock>;
  /** Never fails the caller: after a commit the payment stands, and the lock expires by itself. */
  abstract release(lock: HeldPaymentLock, orderId: number): Promise<void>;
}
