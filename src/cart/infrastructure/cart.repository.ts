import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import { MAX_ITEM_QUANTITY } from '../domain/cart-item';
import { CartItemRecord, CartStore } from '../application/ports/cart-store.port';

@Injectable()
export class CartRepository implements CartStore {
  constructor(private readonly sql: Sql) {}

  async listItems(userId: number): Promise<CartItemRecord[]> {
    return this.sql.rows(
      'SELECT id, product_option_id AS "productOptionId", quantity FROM cart_items WHERE user_id = $1 ORDER BY id',
      [userId],
    );
  }

  /** One statement (an upsert guarded by the cap), so simultaneous adds of the same option never make a second row. */
  async addQuantity(userId: number, productOptionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows<{ id: number }>(
      `INSERT INTO cart_items (user_id, product_option_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, product_option_id) DO UPDATE
         SET quantity = cart_items.quantity + EXCLUDED.quantity, updated_at = now()
         WHERE cart_items.quantity + EXCLUDED.quantity <= $4
       RETURNING id`,
      [userId, productOptionId, quantity, MAX_ITEM_QUANTITY],
    );
    return rows.length === 1;
  }

  async delete(userId: number, itemId: number): Promise<boolean> {
    const deleted = await this.sql.rows('DELETE FROM cart_items WHERE id = $1 AND user_id = $2 RETURNING id', [itemId, userId]);
    return deleted.length === 1;
  }
}
