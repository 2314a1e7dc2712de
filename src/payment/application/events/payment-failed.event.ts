import type { Payment } from '../../domain/payment';

/**
 * After commit: a gateway attempt ended without a charge standing (FAILED, or CANCELLED at the
 * gateway after a late approval). API.md's PAYMENT_FAILED for the event log.
 */
export class PaymentFailedEvent {
  static readonly NAME = 'payment.failed';
  declare readonly eventId: string;
  readonly eventType = 'PAYMENT_FAILED';
  readonly orderId: number;
  readonly userId: number;
  readonly paymentId: number;
  readonly paymentMethod: string;
  readonly amount: number;
  readonly failureCode: string | null;
  readonly occurredAt: string;

  constructor(payment: Payment, occurredAt = new Date()) {
    this.orderId = payment.orderId;
    this.userId = payment.userId;
    this.paymentId = payment.id;
    this.paymentMethod = payment.method;
    this.amount = payment.amount;
    this.failureCode = payment.status === 'CANCELLED' ? (payment.failureCode ?? 'CANCELLED') : payment.failureCode;
    this.occurredAt = occurredAt.toISOString();
  }
}
