import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { OutboxHistory } from '../../common/events/outbox/outbox-history';
import { OrderProcessedEvent } from '../../order/application/events/order-processed.event';
import { OrderRefundedEvent } from '../../order/application/events/order-refunded.event';
import { RANKING_WINDOW_DAYS, shopDay } from '../domain/shop-calendar';
import { SaleLine, SalesRankingStore } from './ports/sales-ranking-store.port';
import { ProductSettings } from '../product.settings';

/** The ranking's outbox consumer: its own rows are the record it rebuilds a lost day from. */
export const SALES_RANKING_CONSUMER = 'sales-ranking';
/** Every day of the widest window can be rebuilt, the oldest one included. */
export const SALES_RANKING_RETENTION_DAYS = RANKING_WINDOW_DAYS + 1;

export type CountedSale = Pick<OrderProcessedEvent, 'orderId' | 'occurredAt' | 'items'>;
export type CountedRefund = Pick<OrderRefundedEvent, 'refundId' | 'paidAt' | 'refundItems'>;

const refundSale = (refundId: number) => `r${refundId}`;

/**
 * The ranking's write side: count each paid order once on the shop day it was paid, take each
 * refund's units off that same day once, and rebuild a lost day from Postgres first.
 */
@Injectable()
export class SalesRanking {
  private readonly rebuilding = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SalesRankingStore,
    private readonly history: OutboxHistory,
    private readonly config: ProductSettings,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SalesRanking.name);
  }

  count(sale: CountedSale): Promise<void> {
    return this.record(sale.occurredAt, String(sale.orderId), sale.items);
  }

  uncount(refund: CountedRefund): Promise<void> {
    return this.record(refund.paidAt, refundSale(refund.refundId), refund.refundItems.map(({ productId, quantity }) => ({ productId, quantity: -quantity })));
  }

  /**
   * Rebuilds whichever of `days` Redis lost (one round trip when none), one day after another
   * so that a rebuild holds one database connection at a time.
   */
  async ensureDays(days: string[]): Promise<void> {
    for (const day of await this.store.unbuilt(days)) await this.rebuildOnce(day);
  }

  /**
   * Single flight: the requests that find a day missing while it is being rebuilt wait for that
   * rebuild instead of each starting their own (a lost ranking and 20 readers made 600 rebuilds
   * of the same 30 days). Settled rebuilds are forgotten, so a failed one is tried again.
   */
  private rebuildOnce(day: string): Promise<void> {
    let running = this.rebuilding.get(day);
    if (!running) {
      running = this.rebuild(day).finally(() => this.rebuilding.delete(day));
      this.rebuilding.set(day, running);
    }
    return running;
  }

  private async record(at: string, saleId: string, lines: { productId: number; quantity: number }[]): Promise<void> {
    const day = shopDay(new Date(at), this.config.SHOP_TIMEZONE);
    if ((await this.store.record(day, saleId, lines)) === 'DAY_MISSING') {
      // The rebuild reads every committed sale and refund of the day, this one included, and the
      // retry then finds it counted: either way it is counted exactly once.
      await this.ensureDays([day]);
      await this.store.record(day, saleId, lines);
    }
  }

  /**
   * The day's source is this consumer's own rows: each order.processed is written in the very
   * transaction that marks its order PAID (so the set is exactly the day's paid orders), each
   * order.refunded in the one that completes its refund.
   */
  private async rebuild(day: string): Promise<void> {
    const paid = await this.history.recordedOn<CountedSale>(SALES_RANKING_CONSUMER, OrderProcessedEvent.NAME, day, this.config.SHOP_TIMEZONE);
    const refunds = await this.history.recordedFor<CountedRefund>(SALES_RANKING_CONSUMER, OrderRefundedEvent.NAME, paid.map((sale) => sale.orderId));
    const lines: SaleLine[] = [
      ...paid.flatMap((sale) => sale.items.map(({ productId, quantity }) => ({ saleId: String(sale.orderId), productId, quantity }))),
      ...refunds.flatMap((r) => r.refundItems.map(({ productId, quantity }) => ({ saleId: refundSale(r.refundId), productId, quantity: -quantity }))),
    ];
    await this.store.rebuild(day, lines);
    this.logger.info({ day, lines: lines.length }, 'sales ranking day rebuilt from postgres');
  }
}
