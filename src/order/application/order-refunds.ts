import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '../../common/events/outbox/outbox.writer';
import type { RequestedItem } from '../domain/order';
import { REFUNDABLE_STATUSES } from '../domain/order';
import { OrderNotFoundError, OrderNotRefundableError } from '../domain/order.errors';
import { RefundableLine, refundAmounts, unrefundedItems } from '../domain/refund-amount';
import { NothingLeftToRefundError } from '../domain/refund.errors';
import { OrderRefundRepository, RefundLineRow } from '../infrastructure/order-refund.repository';
import type { OrderRow } from '../infrastructure/order.repository';
import { OrderRefundedEvent, RefundedLine, RefundOfOrder } from './events/order-refunded.event';

/** What a refund request may name, as the facade's callers need it. */
export type { RequestedItem } from '../domain/order';
export { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from '../domain/order';

export interface RefundableOrder {
  order: OrderRow;
  lines: RefundLineRow[];
}

/**
 * The order module's facade for refunds: the order's lines are its own, and so is the amount
 * rule (domain/refund-amount.ts). Every step runs in the caller's transaction.
 */
@Injectable()
export class OrderRefunds {
  constructor(
    private readonly refunds: OrderRefundRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** 404 ORDER_NOT_FOUND unless the order exists (an admin may see any). */
  async assertExists(orderId: number): Promise<void> {
    if (!(await this.refunds.exists(orderId))) throw new OrderNotFoundError();
  }

  /** The order, locked (refunds of one order take turns), with its lines; 404 ORDER_NOT_FOUND, 409 ORDER_NOT_REFUNDABLE. */
  async lockRefundable(orderId: number): Promise<RefundableOrder> {
    const order = await this.refunds.lock(orderId);
    if (!order) throw new OrderNotFoundError();
    if (!REFUNDABLE_STATUSES.includes(order.status)) throw new OrderNotRefundableError(order.status);
    return { order, lines: await this.refunds.lines(orderId) };
  }

  /**
   * Prices the units asked for (everything not refunded or held yet, when none are named) by the
   * amount rule, and holds them for the refund in one guarded statement. 409 REFUND_EXCEEDS_PAID
   * when a line has fewer units left than asked.
   */
  async hold({ order, lines }: RefundableOrder, requested?: RequestedItem[]): Promise<RefundedLine[]> {
    const refundable: RefundableLine[] = lines.map((l) => ({
      productOptionId: l.productOptionId,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      refunded: l.refundedQuantity + l.refundingQuantity,
      refundedAmount: l.refundedAmount,
    }));
    const request = requested ?? unrefundedItems(refundable);
    if (request.length === 0) throw new NothingLeftToRefundError();
    const priced = refundAmounts({ lines: refundable, discountAmount: order.discountAmount }, request);
    // The order row is locked, so the lines cannot have changed since they were read: the guard
    // in the statement is what would refuse a second writer if they had.
    if (!(await this.refunds.hold(order.id, priced))) throw new NothingLeftToRefundError();
    const productOf = new Map(lines.map((l) => [l.productOptionId, l.productId]));
    return priced.map((p) => ({ ...p, productId: productOf.get(p.productOptionId)! }));
  }

  /**
   * The refund completed: its units are refunded, the order's refundedAmount and status follow,
   * and ORDER_REFUNDED goes to after-commit consumers. `fullyRefunded`: no unit is left.
   */
  async complete(orderId: number, refund: RefundOfOrder): Promise<{ order: OrderRow; fullyRefunded: boolean }> {
    // Order row first, as a new refund takes it: two card refunds completing at once then take
    // turns (each sees the other's lines when it decides REFUNDED), and cannot deadlock with a hold.
    await this.refunds.lock(orderId);
    if (!(await this.refunds.settle(orderId, refund.items))) throw new Error(`refund ${refund.refundId} held fewer units than it settles`);
    const order = await this.refunds.recordRefund(orderId, refund.amount);
    const lines = await this.refunds.lines(orderId);
    const items = lines.map(({ productId, productOptionId, quantity, unitPrice }) => ({ productId, productOptionId, quantity, unitPrice }));
    await this.outbox.add(new OrderRefundedEvent({ ...order, items, paidAt: order.paidAt! }, refund, new Date()), orderId);
    return { order, fullyRefunded: order.status === 'REFUNDED' };
  }

  /** The refund failed for good: its units and won are refundable again. */
  async release(orderId: number, items: RefundedLine[]): Promise<void> {
    await this.refunds.lock(orderId);
    if (!(await this.refunds.release(orderId, items))) throw new Error(`a failed refund of order ${orderId} held fewer units than it releases`);
  }
}
