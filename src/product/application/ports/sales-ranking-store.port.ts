/**
 * One product's units in one sale (`saleId` the order id) or one refund (`saleId` "r" + the
 * refund id, a negative quantity): each sale or refund is counted into its day once.
 */
export interface SaleLine {
  saleId: string;
  productId: number;
  quantity: number;
}

/**
 * Units sold per product and shop day, for GET /products/top. A day that was lost (flush,
 * restart) is missing until it is rebuilt from Postgres; nothing is counted into it before.
 */
export abstract class SalesRankingStore {
  /**
   * Counts one sale or refund into its day, once: a redelivered one is a no-op. 'COUNTED',
   * 'DUPLICATE', or 'DAY_MISSING' when the day must be rebuilt first.
   */
  abstract record(day: string, saleId: string, lines: { productId: number; quantity: number }[]): Promise<'COUNTED' | 'DUPLICATE' | 'DAY_MISSING'>;
  /** The days among `days` whose ranking the store does not hold. */
  abstract unbuilt(days: string[]): Promise<string[]>;
  /** Writes a whole day, unless another rebuild got there first (then the day already holds at least as much). */
  abstract rebuild(day: string, lines: SaleLine[]): Promise<void>;
  /** Sums the given days and returns the best sellers, highest first (ties by product id), reading no more than that. */
  abstract top(days: string[], limit: number): Promise<{ productId: number; salesQuantity: number }[]>;
}
