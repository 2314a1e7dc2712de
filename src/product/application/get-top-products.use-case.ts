import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../common/config/app-config';
import type { AppConfig } from '../../common/config/app-config';
import { lastShopDays } from '../domain/shop-calendar';
import { ProductStore } from './ports/product-store.port';
import { SalesRankingStore } from './ports/sales-ranking-store.port';
import { SalesRanking } from './sales-ranking';

export interface TopProduct {
  productId: number;
  name: string;
  salesQuantity: number;
}

@Injectable()
export class GetTopProductsUseCase {
  constructor(
    private readonly ranking: SalesRanking,
    private readonly store: SalesRankingStore,
    private readonly products: ProductStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Paid quantities of the last `days` shop days, today included; a day Redis lost is rebuilt first. */
  async execute(days: number, limit: number): Promise<TopProduct[]> {
    const window = lastShopDays(new Date(), days, this.config.SHOP_TIMEZONE);
    await this.ranking.ensureDays(window);
    const top = await this.store.top(window, limit);
    const names = new Map((await this.products.namesOf(top.map((t) => t.productId))).map((p) => [p.id, p.name]));
    return top.map((t) => ({ productId: t.productId, name: names.get(t.productId) ?? '', salesQuantity: t.salesQuantity }));
  }
}
