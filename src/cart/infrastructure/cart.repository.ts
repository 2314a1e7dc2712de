import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import { MAX_ITEM_QUANTITY } from '../domain/cart-item';

export interface CartItemRow {
  id: number;
  productOptionId: number;
  quantity: number;
}

@Injectable()
export class CartRepository {
  constructor(private readonly sql: Sql) {}

  async listItems(userId: number): Promise<CartItemRow[]> {
    return this.sql.rows(
      'SELECT id, product_option_id AS "productOptionId", quantity FROM cart_items WHERE user_id = $1 ORDER BY id',
      [userId],
    );
  }

  /**
   * Inserts the option or adds to its quantity in one statement, so simultaneous adds of the same
   * option all count and never make a second row. False, with nothing changed, when the sum
   * would pass the cap.
   */
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

  /** Only the owner's item matches, so another user's id behaves exactly like a missing one. */
  async delete(userId: number, itemId: number): Promise<boolean> {
    const deleted = await this.sql.rows('DELETE FROM cart_items WHERE id = $1 AND user_id = $2 RETURNING id', [itemId, userId]);
    return deleted.length === 1;
  }
}
