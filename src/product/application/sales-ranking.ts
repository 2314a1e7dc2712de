import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { shopDay } from '../domain/shop-calendar';
import { PaidSalesRepository } from '../infrastructure/paid-sales.repository';
import { SalesRankingStore } from '../infrastructure/sales-ranking.store';

export interface PaidOrderEvent {
  eventId: string;
  orderId: number;
  occurredAt: string;
  items: { productId: number; quantity: number }[];
}

/** The ranking's write side: count each paid order once, rebuilding a lost day from Postgres. */
@Injectable()
export class SalesRanking {
  constructor(
    private readonly store: SalesRankingStore,
    private readonly sales: PaidSalesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SalesRanking.name);
  }

  async count(event: PaidOrderEvent): Promise<void> {
    const day = shopDay(new Date(event.occurredAt), this.config.SHOP_TIMEZONE);
    if ((await this.store.record(day, event.orderId, event.items)) === 'DAY_MISSING') {
      // The rebuild reads every committed payment of the day, this one included, and the
      // retry then finds it counted: either way it is counted exactly once.
      await this.ensureDays([day]);
      await this.store.record(day, event.orderId, event.items);
    }
  }

  /** Rebuilds whichever of `days` Redis lost (one round trip when none). */
  async ensureDays(days: string[]): Promise<void> {
    for (const day of await this.store.unbuilt(days)) await this.rebuild(day);
  }

  private async rebuild(day: string): Promise<void> {
    const lines = await this.sales.soldOn(day, this.config.SHOP_TIMEZONE);
    await this.store.rebuild(day, lines);
    this.logger.info({ day, lines: lines.length }, 'sales ranking day rebuilt from postgres');
  }
}
