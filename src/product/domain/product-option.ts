import { StockBelowReservedError } from './product.errors';

export const MAX_ON_HAND = 1_000_000;

/** What can still be ordered: the physical count less what unpaid orders hold. */
export function availableStock(onHand: number, reserved: number): number {
  return onHand - reserved;
}

/**
 * One sellable variant of a product with its stock. The database enforces the same rule
 * atomically (conditional UPDATE and CHECK reserved <= on_hand); this is the rule it agrees with.
 */
export class ProductOption {
  constructor(
    readonly id: number,
    readonly name: string,
    readonly onHand: number,
    readonly reserved: number,
  ) {}

  get stock(): number {
    return availableStock(this.onHand, this.reserved);
  }

  /** A recount may lower the physical count, but never below what unpaid orders already hold. */
  withOnHand(onHand: number): ProductOption {
    if (!Number.isSafeInteger(onHand) || onHand < 0 || onHand > MAX_ON_HAND) throw new RangeError(`onHand ${onHand} is out of range`);
    if (onHand < this.reserved) throw new StockBelowReservedError(onHand, this.reserved);
    return new ProductOption(this.id, this.name, onHand, this.reserved);
  }
}
