import type { NewProduct, Product } from '../../domain/product';
import type { ProductOption } from '../../domain/product-option';

/** One option as the catalog shows it, with the stock figures its availability is worked out from. */
export interface CatalogRecord {
  optionId: number;
  productId: number;
  productName: string;
  optionName: string;
  unitPrice: number;
  onHand: number;
  reserved: number;
}

/** The products and product_options tables, and the catalog's product count. */
export abstract class ProductStore {
  /**
   * Inserts the product and all its options, options getting ids in the given order, and
   * counts the product into the catalog's total, in the caller's transaction.
   */
  abstract insert(draft: NewProduct): Promise<Product>;
  abstract findById(productId: number): Promise<Product | null>;
  /** One page by id ascending, with its options. The total is the counter kept by insert(), not a count of the table. */
  abstract page(offset: number, limit: number): Promise<{ items: Product[]; total: number }>;
  /**
   * The only way onHand changes: one conditional statement, so a concurrent reservation can never
   * slip between a check and the write. False when no row matched (missing option or too low).
   */
  abstract setOnHand(productId: number, optionId: number, onHand: number): Promise<boolean>;
  /** Locks the option until the transaction ends, so its reservation cannot move meanwhile. */
  abstract lockOption(productId: number, optionId: number): Promise<ProductOption | null>;
  /** The options among `optionIds` that exist, by id ascending. */
  abstract findCatalogRows(optionIds: number[]): Promise<CatalogRecord[]>;
  abstract namesOf(productIds: number[]): Promise<{ id: number; name: string }[]>;
}
