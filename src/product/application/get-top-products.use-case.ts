import { Injectable } from '@nestjs/common';
import { lastShopDays } from '../domain/shop-calendar';
import { ProductStore } from './ports/product-store.port';
import { SalesRankingStore } from './ports/sales-ranking-store.port';
import { SalesRanking } from './sales-ranking';
import { ProductSettings } from '../product.settings';

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
    private readonly config: ProductSettings,
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
