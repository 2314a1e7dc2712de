import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';

/** Stock moves as single guarded statements; CHECK (reserved <= on_hand) backs every one. */
@Injectable()
export class StockRepository {
  constructor(private readonly sql: Sql) {}

  /** Holds `quantity` for an unpaid order unless fewer are available; false when refused. */
  async reserve(optionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE product_options SET reserved = reserved + $2, updated_at = now()
       WHERE id = $1 AND on_hand - reserved >= $2 RETURNING id`,
      [optionId, quantity],
    );
    return rows.length === 1;
  }

  /** Locks the options in id order, the one order every stock writer follows. */
  async lockInOrder(optionIds: number[]): Promise<void> {
    await this.sql.rows('SELECT id FROM product_options WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [optionIds]);
  }

  /** Turns a reservation into a sale: the units leave both on-hand and reserved. */
  async sell(optionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE product_options SET on_hand = on_hand - $2, reserved = reserved - $2, updated_at = now()
       WHERE id = $1 AND reserved >= $2 RETURNING id`,
      [optionId, quantity],
    );
    return rows.length === 1;
  }

  /** Refunded units back on hand. */
  async restock(optionId: number, quantity: number): Promise<void> {
    await this.sql.rows(`UPDATE product_options SET on_hand = on_hand + $2, updated_at = now() WHERE id = $1`, [optionId, quantity]);
  }

  /** Gives back a reservation; false when less is reserved than that (a bookkeeping bug). */
  async release(optionId: number, quantity: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE product_options SET reserved = reserved - $2, updated_at = now()
       WHERE id = $1 AND reserved >= $2 RETURNING id`,
      [optionId, quantity],
    );
    return rows.length === 1;
  }
}
