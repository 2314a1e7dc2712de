import type { OrderPayments } from '../../order/application/order-payments.facade';
import { PaymentInProgressError } from '../domain/payment.errors';
import type { HeldPaymentLock, PaymentLock } from './ports/payment-lock.port';

/**
 * The payer's lock on the order's payment. The owner's check is the claim that follows, one round
 * trip fewer; only a lock already held costs the check first, so that a stranger racing their own
 * requests for someone else's order hears 404 ORDER_NOT_FOUND, never 409 PAYMENT_IN_PROGRESS.
 */
export async function lockAsPayer(lock: PaymentLock, orders: OrderPayments, userId: number, orderId: number): Promise<HeldPaymentLock> {
  try {
    return await lock.acquire(orderId, userId);
  } catch (error) {
    if (error instanceof PaymentInProgressError) await orders.assertOwner(userId, orderId);
    throw error;
  }
}
