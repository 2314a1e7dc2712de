import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
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

  sellPart(statement: OneStatement, linesPart: string): void {
    const lines = `(SELECT count(*) FROM ${linesPart})`;
    // Several options are locked in id order first, as the transaction way does, so that two
    // payments sharing options cannot deadlock; one option needs no ordering (its UPDATE takes the only lock).
    statement.guard(
      'stock_locked',
      `SELECT id FROM product_options WHERE id IN (SELECT product_option_id FROM ${linesPart}) AND ${lines} > 1 ORDER BY id FOR UPDATE`,
      `(SELECT count(*) FROM stock_locked) = CASE WHEN ${lines} > 1 THEN ${lines} ELSE 0 END`,
    );
    statement.guard(
      'stock_sold',
      `UPDATE product_options o SET on_hand = o.on_hand - s.quantity, reserved = o.reserved - s.quantity, updated_at = now()
       FROM ${linesPart} s
       WHERE o.id = s.product_option_id AND o.reserved >= s.quantity RETURNING o.id`,
      `(SELECT count(*) FROM stock_sold) = ${lines}`,
    );
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
