import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import { NewProduct, Product } from '../domain/product';
import { ProductOption } from '../domain/product-option';
import { CatalogRecord, ProductStore } from '../application/ports/product-store.port';

interface ProductRow {
  id: number;
  name: string;
  price: number;
}

interface OptionRow {
  id: number;
  productId: number;
  name: string;
  onHand: number;
  reserved: number;
}

const OPTION_COLUMNS = 'id, product_id AS "productId", name, on_hand AS "onHand", reserved';

@Injectable()
export class ProductRepository implements ProductStore {
  constructor(private readonly sql: Sql) {}

  /** Two statements; the first also counts the product into catalog_totals. */
  async insert(draft: NewProduct): Promise<Product> {
    const [product] = await this.sql.rows<ProductRow>(
      `WITH counted AS (UPDATE catalog_totals SET products = products + 1)
       INSERT INTO products (name, price) VALUES ($1, $2) RETURNING id, name, price`,
      [draft.name, draft.price],
    );
    const options = await this.sql.rows<OptionRow>(
      `INSERT INTO product_options (product_id, name, on_hand)
       SELECT $1, name, on_hand FROM unnest($2::varchar[], $3::int[]) WITH ORDINALITY AS given (name, on_hand, position)
       ORDER BY position
       RETURNING ${OPTION_COLUMNS}`,
      [product.id, draft.options.map((o) => o.name), draft.options.map((o) => o.stock)],
    );
    // RETURNING does not promise any row order; the contract lists options by id.
    return this.assemble([product], options.sort((a, b) => a.id - b.id))[0];
  }

  async findById(productId: number): Promise<Product | null> {
    const products = await this.sql.rows<ProductRow>('SELECT id, name, price FROM products WHERE id = $1', [productId]);
    return products.length === 0 ? null : this.assemble(products, await this.optionsOf([productId]))[0];
  }

  /** The page's options are fetched in a single query for the whole page; the total is read from catalog_totals. */
  async page(offset: number, limit: number): Promise<{ items: Product[]; total: number }> {
    const products = await this.sql.rows<ProductRow>(
      'SELECT id, name, price FROM products ORDER BY id LIMIT $1 OFFSET $2',
      [limit, offset],
    );
    const [{ total }] = await this.sql.rows<{ total: number }>('SELECT products AS total FROM catalog_totals');
    const options = products.length === 0 ? [] : await this.optionsOf(products.map((p) => p.id));
    return { items: this.assemble(products, options), total };
  }

  async setOnHand(productId: number, optionId: number, onHand: number): Promise<boolean> {
    const changed = await this.sql.rows(
      `UPDATE product_options SET on_hand = $1, updated_at = now()
       WHERE id = $2 AND product_id = $3 AND reserved <= $1 RETURNING id`,
      [onHand, optionId, productId],
    );
    return changed.length === 1;
  }

  async lockOption(productId: number, optionId: number): Promise<ProductOption | null> {
    const rows = await this.sql.rows<OptionRow>(
      `SELECT ${OPTION_COLUMNS} FROM product_options WHERE id = $1 AND product_id = $2 FOR UPDATE`,
      [optionId, productId],
    );
    return rows.length === 0 ? null : toOption(rows[0]);
  }

  async findCatalogRows(optionIds: number[]): Promise<CatalogRecord[]> {
    return this.sql.rows(
      `SELECT o.id AS "optionId", p.id AS "productId", p.name AS "productName", o.name AS "optionName",
              p.price AS "unitPrice", o.on_hand AS "onHand", o.reserved
       FROM product_options o JOIN products p ON p.id = o.product_id
       WHERE o.id = ANY($1::bigint[])
       ORDER BY o.id`,
      [optionIds],
    );
  }

  async namesOf(productIds: number[]): Promise<{ id: number; name: string }[]> {
    return this.sql.rows<{ id: number; name: string }>('SELECT id, name FROM products WHERE id = ANY($1::bigint[])', [productIds]);
  }

  private async optionsOf(productIds: number[]): Promise<OptionRow[]> {
    return this.sql.rows(
      `SELECT ${OPTION_COLUMNS} FROM product_options WHERE product_id = ANY($1::bigint[]) ORDER BY product_id, id`,
      [productIds],
    );
  }

  private assemble(products: ProductRow[], options: OptionRow[]): Product[] {
    const byProduct = new Map<number, ProductOption[]>();
    for (const row of options) {
      const list = byProduct.get(row.productId) ?? [];
      list.push(toOption(row));
      byProduct.set(row.productId, list);
    }
    return products.map((p) => new Product(p.id, p.name, p.price, byProduct.get(p.id) ?? []));
  }
}

function toOption(row: OptionRow): ProductOption {
  return new ProductOption(row.id, row.name, row.onHand, row.reserved);
}
