/** A held lock, to be given back to `release`. */
export interface HeldPaymentLock {
  release(): Promise<unknown>;
}

/**
 * The original design's lock on one order's payment, `payment:order:{orderId}`. It only saves
 * duplicate work: the PENDING guard in Postgres is what makes a second payment impossible,
 * even when the lock expires mid-flight.
 */
export abstract class PaymentLock {
  /** 409 PAYMENT_IN_PROGRESS when another request holds it, 503 when the lock service is down. */
  abstract acquire(orderId: number): Promise<HeldPaymentLock>;
  /** Never fails the caller: after a commit the payment stands, and the lock expires by itself. */
  abstract release(lock: HeldPaymentLock, orderId: number): Promise<void>;
}
