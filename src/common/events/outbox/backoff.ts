/** Delay before attempt `attempt + 1`: base, 2×base, 4×base, … capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}
