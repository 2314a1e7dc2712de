import type { OneStatement } from '../../../common/database/one-statement';

/** Stock of product options. Every move is one guarded statement: reserved never passes on-hand. */
export abstract class StockStore {
  /** Holds `quantity` for an unpaid order unless fewer are available; false when refused. */
  abstract reserve(optionId: number, quantity: number): Promise<boolean>;
  /** Locks the options in id order, the one order every stock writer follows. */
  abstract lockInOrder(optionIds: number[]): Promise<void>;
  /** Turns a reservation into a sale: the units leave both on-hand and reserved. */
  abstract sell(optionId: number, quantity: number): Promise<boolean>;
  /**
   * `sell` for every line of `linesPart` (a part of the statement: product_option_id, quantity, one
   * row per option), as a part of one statement (OneStatement), checked to have sold each: the
   * options locked in id order first when there are several.
   */
  abstract sellPart(statement: OneStatement, linesPart: string): void;
  /** Refunded units back on hand. */
  abstract restock(optionId: number, quantity: number): Promise<void>;
  /** Gives back a reservation; false when less is reserved than that (a bookkeeping bug). */
  abstract release(optionId: number, quantity: number): Promise<boolean>;
}
