export interface StockChange {
  productOptionId: number;
  quantity: number;
}

/**
 * Sums quantities per option and sorts by option id: every writer locks option rows in this
 * order, which is what keeps concurrent multi-item orders free of deadlocks.
 */
export function perOptionInLockOrder(changes: StockChange[]): StockChange[] {
  const totals = new Map<number, number>();
  for (const { productOptionId, quantity } of changes) totals.set(productOptionId, (totals.get(productOptionId) ?? 0) + quantity);
  return [...totals].sort(([a], [b]) => a - b).map(([productOptionId, quantity]) => ({ productOptionId, quantity }));
}
