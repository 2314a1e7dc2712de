import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { OrderNotFoundError, OrderNotPayableError, OrderPaymentInProgressError } from '../domain/order.errors';
import type { PricedOrderLine } from './events/order-line';
import { OrderCancelledEvent } from './events/order-cancelled.event';
import { OrderExpiredEvent } from './events/order-expired.event';
import { OrderProcessedEvent } from './events/order-processed.event';
import { OrderReleasingEvent, releasedOrder } from './events/order-releasing.event';
import type { OrderInStatement } from './events/order-in-statement';
import { OrderStore } from './ports/order-store.port';

/** An order as the payment flow sees it. */
export interface PayableOrder {
  id: number;
  userId: number;
  userCouponId: number | null;
  originalAmount: number;
  discountAmount: number;
  /** Won the payment takes. */
  finalAmount: number;
  paidAt: Date | null;
  /** A PENDING order not paid by then expires. */
  expiresAt: Date;
  items: PricedOrderLine[];
}

/** The payment that paid an order, as its ORDER_PAID event names it. */
export interface PaymentOfOrder {
  paymentId: number;
  method: string;
}

/** The payment a one statement writes, as SQL expressions of its columns (OneStatement). */
export interface PaymentOfOrderInStatement {
  idSql: string;
  methodSql: string;
}

/**
 * The order module's facade for the payment flow. Its steps are calls, not events: each is a
 * guard that must run at a precise point of the payment's transaction and hand a result back.
 */
@Injectable()
export class OrderPayments {
  constructor(
    private readonly orders: OrderStore,
    private readonly outbox: OutboxWriter,
    private readonly events: SyncEventPublisher,
  ) {}

  /**
   * 404 ORDER_NOT_FOUND unless the user owns the order. Checked before any lock is taken, so a
   * stranger naming someone else's order can neither wait for nor hold up its owner's payment.
   */
  async assertOwner(userId: number, orderId: number): Promise<void> {
    if (!(await this.orders.isOwnedBy(userId, orderId))) throw new OrderNotFoundError();
  }

  /**
   * First step inside the payment transaction, for its owner: PENDING → PAYING (a gateway payment:
   * the gateway decides later) or straight to PAID (a balance payment, decided in this very
   * transaction); 404 ORDER_NOT_FOUND / 409 PAYMENT_IN_PROGRESS (PAYING or AWAITING_DEPOSIT) / 409 ORDER_NOT_PAYABLE.
   * Rolls back with the caller.
   */
  async claim(userId: number, orderId: number, to: 'PAYING' | 'PAID'): Promise<PayableOrder> {
    const order = await this.orders.claimForPayment(userId, orderId, to);
    if (order) return order;
    const existing = await this.orders.findForUser(userId, orderId);
    if (!existing) throw new OrderNotFoundError();
    // A virtual account waiting for its deposit is a payment under way as much as a card with the gateway.
    if (existing.status === 'PAYING' || existing.status === 'AWAITING_DEPOSIT') throw new OrderPaymentInProgressError();
    throw new OrderNotPayableError(existing.status === 'PENDING' ? 'it has expired' : `it is ${existing.status}`);
  }

  /**
   * The payment as one statement (OneStatement): `claim` as its first part, checked to have
   * claimed the order (the guard against paying twice); PAID at `paidAt`, or PAYING when null
   * (a gateway payment's phase 1). The order is read by the statement itself, nothing before it:
   * its figures are SQL for the other parts.
   */
  claimPart(statement: OneStatement, userId: number, orderId: number, paidAt: Date | null): OrderInStatement {
    return this.orders.claimPart(statement, userId, orderId, paidAt ? 'PAID' : 'PAYING', paidAt);
  }

  /**
   * `recordPaid` as a part of the payment's one statement, written once every check held; the
   * order's figures and the payment are SQL expressions, since the same statement reads and writes them.
   */
  recordPaidPart(statement: OneStatement, order: OrderInStatement, payment: PaymentOfOrderInStatement, paidAt: Date): void {
    // The figures are the statement's (snapshotSql, merged over these): none is known before it runs.
    const event = new OrderProcessedEvent({ id: order.orderId, userId: order.userId, originalAmount: 0, discountAmount: 0, finalAmount: 0, items: [] }, { paymentId: 0, method: '' }, paidAt);
    this.outbox.addTo(statement, [{ event, aggregateId: order.orderId }], `${order.snapshotSql} || jsonb_build_object('paymentId', ${payment.idSql}, 'paymentMethod', ${payment.methodSql})`);
  }

  /**
   * The user's order, as long as it can still be paid (PENDING, not overdue): what a checkout
   * prepares at the gateway. 404 ORDER_NOT_FOUND / 409 ORDER_NOT_PAYABLE.
   */
  async payable(userId: number, orderId: number): Promise<PayableOrder> {
    const order = await this.orders.findForUser(userId, orderId);
    if (!order) throw new OrderNotFoundError();
    if (order.status !== 'PENDING' || order.expiresAt <= new Date()) throw new OrderNotPayableError(order.status === 'PENDING' ? 'it has expired' : `it is ${order.status}`);
    return order;
  }

  /**
   * In the caller's transaction, first: the order's row, locked until it ends. Everything that
   * writes an order's after-commit events (its payments' settlements, cancellations, refunds)
   * takes it first, so that they commit, and reach the event log, in one order.
   */
  async lock(orderId: number): Promise<void> {
    await this.orders.lockForUpdate(orderId);
  }

  /** An order claimed or marked PAID: order.processed, with its payment, for after-commit consumers, in the same transaction. */
  async recordPaid(order: PayableOrder, payment: PaymentOfOrder): Promise<void> {
    await this.outbox.add(new OrderProcessedEvent(order, payment, order.paidAt!), order.id);
  }

  /**
   * In the transaction that completes a gateway payment: PAYING (or AWAITING_DEPOSIT, a virtual
   * account paid into) → PAID, which locks the order's row as `lock` would; the order, or null
   * (nothing changed) when it was neither. The caller records it paid with `recordPaid` once its
   * payment is known.
   */
  markPaid(orderId: number): Promise<PayableOrder | null> {
    return this.orders.markPayingPaid(orderId);
  }

  /**
   * `markPaid` as the first part of a gateway payment's completing statement (OneStatement),
   * checked to have marked the order, with `paidAt` the time it is paid at; the order, the user's,
   * is read by the statement itself.
   */
  markPaidPart(statement: OneStatement, orderId: number, userId: number, paidAt: Date): OrderInStatement {
    return this.orders.markPaidPart(statement, orderId, userId, paidAt);
  }

  /** A virtual account was issued for the order's payment: PAYING → AWAITING_DEPOSIT, its stock and coupon still held; null when it was not PAYING. */
  async awaitDeposit(orderId: number): Promise<boolean> {
    return (await this.orders.markAwaitingDeposit(orderId)) !== null;
  }

  /**
   * The order's virtual account was closed at the gateway unpaid: by its customer (CANCELLED) or
   * by its due date (EXPIRED). Its reservation is released and ORDER_CANCELLED / ORDER_EXPIRED
   * goes to after-commit consumers, in the caller's transaction; null when it was not AWAITING_DEPOSIT.
   */
  async closeAwaitingDeposit(orderId: number, to: 'CANCELLED' | 'EXPIRED'): Promise<PayableOrder | null> {
    const closed = await this.orders.closeAwaitingDeposit(orderId, to);
    if (!closed) return null;
    const [order] = await this.orders.withItems([closed]);
    await this.events.publish(new OrderReleasingEvent(to, [releasedOrder(order)]));
    const at = new Date();
    await this.outbox.add(to === 'CANCELLED' ? new OrderCancelledEvent(order, at) : new OrderExpiredEvent(order, at), order.id);
    return order;
  }

  /** A gateway payment ended without a charge: PAYING → PENDING, payable again; null when it was not PAYING. */
  release(orderId: number): Promise<PayableOrder | null> {
    return this.orders.releasePaying(orderId);
  }
}
