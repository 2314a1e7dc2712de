import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import { StockStore } from '../application/ports/stock-store.port';

/** CHECK (reserved <= on_hand) backs every statement. */
@Injectable()
export class StockRepository implements StockStore {
  constructor(private readonly sql: Sql) {}

  async reserve(optionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE product_options SET reserved = reserved + $2, updated_at = now()
       WHERE id = $1 AND on_hand - reserved >= $2 RETURNING id`,
      [optionId, quantity],
    );
    return rows.length === 1;
  }

  async lockInOrder(optionIds: number[]): Promise<void> {
    await this.sql.rows('SELECT id FROM product_options WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [optionIds]);
  }

  async sell(optionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE product_options SET on_hand = on_hand - $2, reserved = reserved - $2, updated_at = now()
       WHERE id = $1 AND reserved >= $2 RETURNING id`,
      [optionId, quantity],
    );
    return rows.length === 1;
  }

  async restock(optionId: number, quantity: number): Promise<void> {
    await this.sql.rows(`UPDATE product_options SET on_hand = on_hand + $2, updated_at = now() WHERE id = $1`, [optionId, quantity]);
  }

  async release(optionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE product_options SET reserved = reserved - $2, updated_at = now()
       WHERE id = $1 AND reserved >= $2 RETURNING id`,
      [optionId, quantity],
    );
    return rows.length === 1;
  }
}
