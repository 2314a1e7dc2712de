import { Injectable } from '@nestjs/common';
import { availableStock } from '../domain/product-option';
import { ProductStore } from './ports/product-store.port';

/** What other modules may know about a sellable option. */
export interface CatalogOption {
  optionId: number;
  productId: number;
  productName: string;
  optionName: string;
  /** Won, the product's price. */
  unitPrice: number;
  /** onHand - reserved: what can still be ordered. */
  stock: number;
}

/** The product module's one entry point for other modules; they never read its tables. */
@Injectable()
export class ProductCatalog {
  constructor(private readonly products: ProductStore) {}

  /** The options among `optionIds` that exist, by id ascending, in one query. Unknown ids are left out. */
  async findOptions(optionIds: number[]): Promise<CatalogOption[]> {
    if (optionIds.length === 0) return [];
    const rows = await this.products.findCatalogRows(optionIds);
    return rows.map(({ onHand, reserved, ...option }) => ({ ...option, stock: availableStock(onHand, reserved) }));
  }
}
