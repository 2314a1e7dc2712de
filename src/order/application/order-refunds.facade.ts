import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import type { RequestedItem } from '../domain/order';
import { OrderNotFoundError, OrderNotRefundableError } from '../domain/order.errors';
import type { OrderStatus } from '../domain/order-status';
import { REFUNDABLE_STATUSES } from '../domain/order-status';
import { RefundableLine, refundAmounts, unrefundedItems } from '../domain/refund-amount';
import { NothingLeftToRefundError, RefundExceedsWonLeftError } from '../domain/refund.errors';
import { OrderRefundedEvent, RefundedLine, RefundOfOrder } from './events/order-refunded.event';
import { OrderRefundStore } from './ports/order-refund-store.port';

/** What a refund request may name, as the facade's callers need it. */
export type { RequestedItem } from '../domain/order';
export { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from '../domain/order';

/** A line of an order as refunds see it: what was paid, what is refunded or held, and the won that returned or holds. */
export interface RefundableOrderLine {
  productId: number;
  productOptionId: number;
  unitPrice: number;
  quantity: number;
  refundedQuantity: number;
  refundingQuantity: number;
  refundedAmount: number;
}

/** An order as refunds see it, locked for the caller's transaction: its amounts and its lines' units. */
export interface RefundableOrder {
  id: number;
  userId: number;
  status: OrderStatus;
  userCouponId: number | null;
  discountAmount: number;
  finalAmount: number;
  /** Won given back so far. */
  refundedAmount: number;
  lines: RefundableOrderLine[];
}

/** An order after one of its refunds completed. */
export interface RefundedOrder {
  id: number;
  userId: number;
  userCouponId: number | null;
  status: OrderStatus;
  /** No unit is left to refund. */
  fullyRefunded: boolean;
}

/**
 * The order module's facade for refunds: the order's lines, amounts and status are its own, and
 * so is the amount rule (domain/refund-amount.ts). Every step runs in the caller's transaction.
 */
@Injectable()
export class OrderRefunds {
  constructor(
    private readonly refunds: OrderRefundStore,
    private readonly outbox: OutboxWriter,
  ) {}

  /** 404 ORDER_NOT_FOUND unless the order exists (an admin may see any). */
  async assertExists(orderId: number): Promise<void> {
    if (!(await this.refunds.exists(orderId))) throw new OrderNotFoundError();
  }

  /** In the caller's transaction, first: the order's row, locked until it ends (its events commit in one order). */
  async lock(orderId: number): Promise<void> {
    await this.refunds.lock(orderId);
  }

  /** The order, locked (refunds of one order take turns), with its lines; 404 ORDER_NOT_FOUND, 409 ORDER_NOT_REFUNDABLE. */
  async lockRefundable(orderId: number): Promise<RefundableOrder> {
    const order = await this.refunds.lock(orderId);
    if (!order) throw new OrderNotFoundError();
    if (!REFUNDABLE_STATUSES.includes(order.status)) throw new OrderNotRefundableError(order.status);
    return { ...order, lines: await this.refunds.lines(orderId) };
  }

  /**
   * Prices the units asked for (everything not refunded or held yet, when none are named) by the
   * amount rule, and holds them for the refund in one guarded statement. 409 REFUND_EXCEEDS_PAID
   * when a line has fewer units left than asked, or when their won are more than `wonLeft` (what
   * the payment still holds: a cancel made at the gateway took some).
   */
  async hold(order: RefundableOrder, requested: RequestedItem[] | undefined, { wonLeft }: { wonLeft: number }): Promise<RefundedLine[]> {
    const refundable: RefundableLine[] = order.lines.map((l) => ({
      productOptionId: l.productOptionId,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      refunded: l.refundedQuantity + l.refundingQuantity,
      refundedAmount: l.refundedAmount,
    }));
    const request = requested ?? unrefundedItems(refundable);
    if (request.length === 0) throw new NothingLeftToRefundError();
    const priced = refundAmounts({ lines: refundable, discountAmount: order.discountAmount }, request);
    const won = priced.reduce((sum, p) => sum + p.amount, 0);
    if (won > wonLeft) throw new RefundExceedsWonLeftError(won, wonLeft);
    // The order row is locked, so the lines cannot have changed since they were read: the guard
    // in the statement is what would refuse a second writer if they had.
    if (!(await this.refunds.hold(order.id, priced))) throw new NothingLeftToRefundError();
    const productOf = new Map(order.lines.map((l) => [l.productOptionId, l.productId]));
    return priced.map((p) => ({ ...p, productId: productOf.get(p.productOptionId)! }));
  }

  /**
   * The refund completed: its units are refunded, the order's refundedAmount and status follow,
   * and ORDER_REFUNDED goes to after-commit consumers.
   */
  async complete(orderId: number, refund: RefundOfOrder): Promise<RefundedOrder> {
    // Order row first, as a new refund takes it: two gateway refunds completing at once then take
    // turns (each sees the other's lines when it decides REFUNDED), and cannot deadlock with a hold.
    await this.refunds.lock(orderId);
    if (!(await this.refunds.settle(orderId, refund.items))) throw new Error(`refund ${refund.refundId} held fewer units than it settles`);
    const order = await this.refunds.recordRefund(orderId, refund.amount);
    if (!order) throw new Error(`refund ${refund.refundId} completed on order ${orderId}, which is not refundable`);
    const lines = await this.refunds.lines(orderId);
    const items = lines.map(({ productId, productOptionId, quantity, unitPrice }) => ({ productId, productOptionId, quantity, unitPrice }));
    await this.outbox.add(new OrderRefundedEvent({ ...order, items, paidAt: order.paidAt! }, refund, new Date()), orderId);
    return { id: order.id, userId: order.userId, userCouponId: order.userCouponId, status: order.status, fullyRefunded: order.status === 'REFUNDED' };
  }

  /**
   * A cancel made at the gateway that none of the shop's refunds explains, recorded as a refund
   * of won without units: refundedAmount grows, the order is REFUNDED once every won is back, and
   * ORDER_REFUNDED goes to after-commit consumers.
   */
  async completeGatewayRefund(orderId: number, refund: { refundId: number; amount: number }): Promise<RefundedOrder> {
    return this.complete(orderId, { ...refund, items: [] });
  }

  /** The refund failed for good: its units and won are refundable again. */
  async release(orderId: number, items: RefundedLine[]): Promise<void> {
    await this.refunds.lock(orderId);
    if (!(await this.refunds.release(orderId, items))) throw new Error(`a failed refund of order ${orderId} held fewer units than it releases`);
  }
}
