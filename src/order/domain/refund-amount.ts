import { ValidationFailedError } from '../../common/errors/domain-error';
import type { RequestedItem } from './order';
import { RefundExceedsPaidError } from './refund.errors';

/*
 * API.md's refund amount rule. Bigint throughout: D × T_i reaches ~10^22 for the largest order,
 * where a double would already have rounded the product before the floor.
 */

export interface PricedLine {
  unitPrice: number;
  quantity: number;
}

export interface RefundableLine extends PricedLine {
  productOptionId: number;
  /** Units refunded or held by a PROCESSING refund: held units are no longer available. */
  refunded: number;
  /** Won those units returned or hold. */
  refundedAmount: number;
}

export interface RefundableOrder {
  /** In the order's own line order, the same on every call: ties in the split go to the earlier line. */
  lines: RefundableLine[];
  discountAmount: number;
}

export interface RefundedItem extends RequestedItem {
  amount: number;
}

function assertNonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

function assertPositive(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

/**
 * N_i of every line, in the same order: the line total less its share of the discount, the
 * shares split by largest remainder so that Σ N_i = originalAmount − discountAmount exactly.
 */
export function lineNets(lines: readonly PricedLine[], discountAmount: number): number[] {
  lines.forEach(({ unitPrice, quantity }, i) => {
    assertNonNegative(`lines[${i}].unitPrice`, unitPrice);
    assertPositive(`lines[${i}].quantity`, quantity);
  });
  assertNonNegative('discountAmount', discountAmount);
  const totals = lines.map(({ unitPrice, quantity }) => BigInt(unitPrice) * BigInt(quantity));
  const original = totals.reduce((sum, total) => sum + total, 0n);
  if (original > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('order total is outside the safe integer range');
  const discount = BigInt(discountAmount);
  if (discount > original) throw new RangeError(`discountAmount ${discountAmount} exceeds the order total ${original}`);
  // An order of free items: nothing to split, and the shares below would divide by zero.
  if (original === 0n) return totals.map(() => 0);

  const shares = totals.map((total) => (discount * total) / original);
  const remainders = totals.map((total) => (discount * total) % original);
  // Σ remainders = original × leftover and each remainder < original, so the leftover is smaller
  // than the number of lines with a remainder: no line gets more than one extra won, and none
  // gets a share above its own total.
  const leftover = Number(discount - shares.reduce((sum, share) => sum + share, 0n));
  const byRemainder = totals.map((_, i) => i).sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a] > remainders[b] ? -1 : 1));
  for (const i of byRemainder.slice(0, leftover)) shares[i] += 1n;
  return totals.map((total, i) => Number(total - shares[i]));
}

/**
 * What refunding `units` more units returns, of a line of `quantity` units with net `net` of
 * which `alreadyRefunded` are refunded already. Each unit's amount is a difference of cumulative
 * floors, so however the units are split into refunds they add up to exactly `net`.
 */
export function refundAmount(net: number, quantity: number, alreadyRefunded: number, units: number): number {
  assertNonNegative('net', net);
  assertPositive('quantity', quantity);
  assertNonNegative('alreadyRefunded', alreadyRefunded);
  assertNonNegative('units', units);
  if (alreadyRefunded + units > quantity) {
    throw new RangeError(`cannot refund ${units} more of ${quantity} units when ${alreadyRefunded} are refunded already`);
  }
  const n = BigInt(net);
  const q = BigInt(quantity);
  return Number((n * BigInt(alreadyRefunded + units)) / q - (n * BigInt(alreadyRefunded)) / q);
}

/**
 * What refunding `units` more of a line returns when its `refunded` units returned or hold
 * `refundedAmount` won: the cumulative floor up to the new count less what is already out, and
 * everything left when the line is done. Until a refund fails (CANCEL_FAILED releases its units
 * and won, maybe out of order) `refundedAmount` is exactly the floor of `refunded`, and this is
 * API.md's formula; after one, the line still returns exactly its net over all its refunds, and
 * never a negative amount.
 */
function lineRefund(net: number, line: RefundableLine, units: number): number {
  const left = net - line.refundedAmount;
  if (line.refunded + units === line.quantity) return left;
  const due = refundAmount(net, line.quantity, 0, line.refunded + units) - line.refundedAmount;
  return Math.max(0, Math.min(left, due));
}

/**
 * The amount of each requested item of one refund, in request order; the refund's amount is
 * their sum. A quantity that is not a positive integer, or an option named twice, is a malformed
 * request (ValidationFailedError); more units than the line has left, or an option the order
 * does not hold, is RefundExceedsPaidError. A line whose `refunded` is outside 0..quantity is a
 * corrupt order (RangeError). An empty request gives an empty refund: whether that is an error
 * depends on how the caller built the request.
 */
export function refundAmounts(order: RefundableOrder, request: readonly RequestedItem[]): RefundedItem[] {
  const nets = lineNets(order.lines, order.discountAmount);
  const lineIndex = new Map<number, number>();
  order.lines.forEach(({ productOptionId, quantity, refunded, refundedAmount }, i) => {
    if (lineIndex.has(productOptionId)) throw new RangeError(`option ${productOptionId} is on two lines of the order`);
    assertNonNegative(`lines[${i}].refunded`, refunded);
    assertNonNegative(`lines[${i}].refundedAmount`, refundedAmount);
    if (refunded > quantity) throw new RangeError(`lines[${i}] has ${refunded} of ${quantity} units refunded`);
    if (refundedAmount > nets[i]) throw new RangeError(`lines[${i}] has ${refundedAmount} won refunded of a net ${nets[i]}`);
    lineIndex.set(productOptionId, i);
  });

  const named = new Set<number>();
  return request.map(({ productOptionId, quantity }) => {
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      throw new ValidationFailedError('Validation failed', ['quantity must be a positive integer']);
    }
    if (named.has(productOptionId)) {
      throw new ValidationFailedError('Validation failed', [`productOptionId ${productOptionId} appears more than once`]);
    }
    named.add(productOptionId);
    const i = lineIndex.get(productOptionId);
    if (i === undefined) throw new RefundExceedsPaidError(productOptionId, quantity, 0);
    const line = order.lines[i];
    const refundable = line.quantity - line.refunded;
    if (quantity > refundable) throw new RefundExceedsPaidError(productOptionId, quantity, refundable);
    return { productOptionId, quantity, amount: lineRefund(nets[i], line, quantity) };
  });
}

/** The request that refunds everything not refunded yet, for a refund whose body names no items. */
export function unrefundedItems(lines: readonly RefundableLine[]): RequestedItem[] {
  return lines.filter(({ quantity, refunded }) => refunded < quantity).map(({ productOptionId, quantity, refunded }) => ({ productOptionId, quantity: quantity - refunded }));
}
