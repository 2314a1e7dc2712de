import { Injectable } from '@nestjs/common';
import { ProductCatalog } from '../../product/application/product-catalog.facade';
import { CartStore } from './ports/cart-store.port';

export interface CartItemView {
  id: number;
  productId: number;
  productOptionId: number;
  productName: string;
  optionName: string;
  unitPrice: number;
  quantity: number;
}

export interface CartView {
  items: CartItemView[];
}

@Injectable()
export class GetCartUseCase {
  constructor(
    private readonly carts: CartStore,
    private readonly catalog: ProductCatalog,
  ) {}

  /** Names and prices are the catalog's current ones, read for the whole cart in one call. */
  async execute(userId: number): Promise<CartView> {
    const items = await this.carts.listItems(userId);
    const catalog = await this.catalog.findOptions(items.map((i) => i.productOptionId));
    const options = new Map(catalog.map((o) => [o.optionId, o]));
    // cart_items references product_options, so every item finds its option; one that did not
    // would be left out rather than shown without a name or a price.
    return {
      items: items.flatMap((item): CartItemView[] => {
        const option = options.get(item.productOptionId);
        if (!option) return [];
        const { productId, productName, optionName, unitPrice } = option;
        return [{ id: item.id, productId, productOptionId: item.productOptionId, productName, optionName, unitPrice, quantity: item.quantity }];
      }),
    };
  }
}
