import fc from 'fast-check';
import { ValidationFailedError } from '../../common/errors/domain-error';
import type { RequestedItem } from './order';
import { lineNets, type PricedLine, type RefundableLine, type RefundableOrder, type RefundedItem, refundAmount, refundAmounts, unrefundedItems } from './refund-amount';
import { RefundExceedsPaidError } from './refund.errors';

const line = (productOptionId: number, unitPrice: number, quantity: number, refunded = 0, refundedAmount = 0): RefundableLine => ({
  productOptionId,
  unitPrice,
  quantity,
  refunded,
  refundedAmount,
});
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const originalOf = (lines: PricedLine[]) => sum(lines.map((l) => l.unitPrice * l.quantity));

describe('refund amounts, by example', () => {
  it('splits a FIXED coupon over two lines and refunds them unit by unit', () => {
    // Lines 12,000 × 2 (T = 24,000) and 5,000 × 1 (T = 5,000): original 29,000, FIXED 3,000.
    //   D × T_1 = 72,000,000 = 2,482 × 29,000 + 22,000  →  d_1 = 2,482, remainder 22,000
    //   D × T_2 = 15,000,000 =   517 × 29,000 +  7,000  →  d_2 =   517, remainder  7,000
    // 2,482 + 517 = 2,999: the 1 won left goes to line 1 (larger remainder), so d = [2,483, 517]
    // and N = [21,517, 4,483], which add up to 26,000 = finalAmount.
    // Line 1 refunded one unit at a time: floor(21,517 / 2) = 10,758, then 21,517 − 10,758 = 10,759.
    const order: RefundableOrder = { lines: [line(7, 12_000, 2), line(9, 5_000, 1)], discountAmount: 3_000 };
    expect(lineNets(order.lines, 3_000)).toEqual([21_517, 4_483]);
    expect(refundAmounts(order, [{ productOptionId: 7, quantity: 1 }])).toEqual([{ productOptionId: 7, quantity: 1, amount: 10_758 }]);

    const afterFirst: RefundableOrder = { ...order, lines: [line(7, 12_000, 2, 1, 10_758), line(9, 5_000, 1)] };
    expect(refundAmounts(afterFirst, unrefundedItems(afterFirst.lines))).toEqual([
      { productOptionId: 7, quantity: 1, amount: 10_759 },
      { productOptionId: 9, quantity: 1, amount: 4_483 },
    ]);
  });

  it('gives the left-over won to the larger remainder even on a later line', () => {
    expect(lineNets([{ unitPrice: 5_000, quantity: 1 }, { unitPrice: 12_000, quantity: 2 }], 3_000)).toEqual([4_483, 21_517]);
  });

  it('breaks ties in favour of the earlier line in the order', () => {
    // Three lines of 1,000 each: D × T_i = 1,000 × D, so every remainder is the same.
    const lines = [{ unitPrice: 1_000, quantity: 1 }, { unitPrice: 500, quantity: 2 }, { unitPrice: 250, quantity: 4 }];
    // D = 100: 100,000 = 33 × 3,000 + 1,000 each; 1 won left → the first line: d = [34, 33, 33].
    expect(lineNets(lines, 100)).toEqual([966, 967, 967]);
    // D = 200: 200,000 = 66 × 3,000 + 2,000 each; 2 won left → the first two: d = [67, 67, 66].
    expect(lineNets(lines, 200)).toEqual([933, 933, 934]);
  });

  it('is exact where D × T_i passes 2^53', () => {
    // 68,574,643 × 200 (T_1 = 13,714,928,600) and 76,506,775 × 844 (T_2 = 64,571,718,100), RATE 28:
    // D = 21,920,261,076 and each share is exactly 28 % of its line, 3,840,180,008 and
    // 18,080,081,068, with nothing left over. D × T_1 ≈ 3 × 10^20, and in doubles
    // Math.floor(D × T_1 / O) gives 3,840,180,007.
    const lines = [{ unitPrice: 68_574_643, quantity: 200 }, { unitPrice: 76_506_775, quantity: 844 }];
    expect(lineNets(lines, 21_920_261_076)).toEqual([9_874_748_592, 46_491_637_032]);
    // T_1 = 99,999,999,000 and T_2 = 1, RATE 99: D = 98,999,999,010. d_1 = floor(D × (O − 1) / O)
    // = D − 1 with remainder O − D = 999,999,991; d_2 = 0 with remainder D, the larger, so line 2
    // gets the left-over won: N = [T_1 − D + 1, 0].
    expect(lineNets([{ unitPrice: 99_999_999, quantity: 1_000 }, { unitPrice: 1, quantity: 1 }], 98_999_999_010)).toEqual([999_999_991, 0]);
  });

  it('spreads the rounding of a line over its units so that they add up to its net', () => {
    expect([0, 1, 2].map((r) => refundAmount(10_000, 3, r, 1))).toEqual([3_333, 3_333, 3_334]);
    expect(refundAmount(10_000, 3, 1, 2)).toBe(6_667);
    expect(refundAmount(10_000, 3, 3, 0)).toBe(0);
  });

  it('refunds nothing for free items, without dividing by zero', () => {
    const order: RefundableOrder = { lines: [line(1, 0, 3), line(2, 0, 1)], discountAmount: 0 };
    expect(lineNets(order.lines, 0)).toEqual([0, 0]);
    expect(refundAmounts(order, unrefundedItems(order.lines)).map((i) => i.amount)).toEqual([0, 0]);
  });

  it('refunds nothing when the coupon covered the whole order', () => {
    expect(lineNets([{ unitPrice: 3_000, quantity: 1 }, { unitPrice: 700, quantity: 3 }], 5_100)).toEqual([0, 0]);
  });

  it('lists what is left to refund, skipping lines refunded already', () => {
    expect(unrefundedItems([line(1, 100, 2, 2), line(2, 100, 5, 1), line(3, 100, 1)])).toEqual([
      { productOptionId: 2, quantity: 4 },
      { productOptionId: 3, quantity: 1 },
    ]);
  });

  it.each([
    ['a negative price', [{ unitPrice: -1, quantity: 1 }], 0],
    ['a fractional quantity', [{ unitPrice: 100, quantity: 1.5 }], 0],
    ['quantity 0', [{ unitPrice: 100, quantity: 0 }], 0],
    ['a negative discount', [{ unitPrice: 100, quantity: 1 }], -1],
    ['a fractional discount', [{ unitPrice: 100, quantity: 1 }], 0.5],
    ['a discount above the original', [{ unitPrice: 100, quantity: 1 }], 101],
    ['a total beyond 2^53', [{ unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 }], 0],
  ])('refuses to split over %s', (_, lines, discount) => {
    expect(() => lineNets(lines, discount)).toThrow(RangeError);
  });

  it('refuses to refund more units of a line than it has', () => {
    expect(() => refundAmount(1_000, 3, 2, 2)).toThrow(RangeError);
    expect(() => refundAmount(1_000, 3, -1, 1)).toThrow(RangeError);
  });

  describe('a refund request', () => {
    const order: RefundableOrder = { lines: [line(1, 1_000, 3, 1), line(2, 500, 1, 1)], discountAmount: 0 };

    it.each([
      ['more units than are left', [{ productOptionId: 1, quantity: 3 }], 2],
      ['a fully refunded line', [{ productOptionId: 2, quantity: 1 }], 0],
      ['an option the order does not hold', [{ productOptionId: 3, quantity: 1 }], 0],
    ])('asking for %s exceeds what was paid', (_, request, refundable) => {
      expect(() => refundAmounts(order, request)).toThrow(RefundExceedsPaidError);
      expect(() => refundAmounts(order, request)).toThrow(expect.objectContaining({ code: 'REFUND_EXCEEDS_PAID', status: 409, refundable }));
    });

    it.each([
      ['quantity 0', [{ productOptionId: 1, quantity: 0 }]],
      ['a fractional quantity', [{ productOptionId: 1, quantity: 1.5 }]],
      ['an option named twice', [{ productOptionId: 1, quantity: 1 }, { productOptionId: 1, quantity: 1 }]],
    ])('with %s is malformed', (_, request) => {
      expect(() => refundAmounts(order, request)).toThrow(ValidationFailedError);
    });

    it('refuses a corrupt order', () => {
      expect(() => refundAmounts({ lines: [line(1, 100, 2, 3)], discountAmount: 0 }, [])).toThrow(RangeError);
      expect(() => refundAmounts({ lines: [line(1, 100, 2), line(1, 100, 1)], discountAmount: 0 }, [])).toThrow(RangeError);
    });
  });
});

/*
 * Orders as the shop allows them (1..50 lines, price 0..100,000,000, quantity 1..1,000) with a
 * discount as the coupon module computes it, refunded in random partial refunds until nothing
 * is left.
 */
const RUNS = { numRuns: 300 };

// Uniform draws would almost never give a free item, equal line totals (remainder ties) or a line
// of a few units refunded one by one, so small values are drawn on purpose as well.
const unitPrices = fc.oneof(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 1_000 }), fc.constant(0));
const quantities = fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 5 }));
const pricedLines = fc.array(fc.record({ unitPrice: unitPrices, quantity: quantities }), { minLength: 1, maxLength: 50, size: 'max' });

/** D for an order total: no coupon, any FIXED, capped at the total like the coupon module does, or a RATE rounded down. */
const discountFor = (original: number) =>
  fc.oneof(
    fc.constant(0),
    fc.bigInt({ min: 0n, max: BigInt(original) }).map(Number),
    fc.integer({ min: 1, max: 100_000_000 }).map((fixed) => Math.min(fixed, original)),
    // A FIXED above the total is capped at it: the whole order is free.
    fc.constant(original),
    fc.integer({ min: 1, max: 100 }).map((rate) => Number((BigInt(original) * BigInt(rate)) / 100n)),
  );

const orders: fc.Arbitrary<RefundableOrder> = pricedLines.chain((priced) =>
  discountFor(originalOf(priced)).map((discountAmount) => ({
    discountAmount,
    lines: priced.map((p, i) => line(i + 1, p.unitPrice, p.quantity)),
  })),
);

/** Each refund: (line pick, unit pick) pairs, resolved against what is still left at that point. */
const refundPlans = fc.array(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 5 }), { maxLength: 40 });

/** Runs the planned refunds, then one for whatever they left, as a caller would: `refunded` grows. */
function refundInSteps(order: RefundableOrder, plan: [number, number][][]): RefundedItem[][] {
  const lines = order.lines.map((l) => ({ ...l }));
  const byOption = new Map(lines.map((l) => [l.productOptionId, l]));
  const refunds: RefundedItem[][] = [];
  const refund = (request: RequestedItem[]) => {
    const items = refundAmounts({ ...order, lines }, request);
    for (const item of items) {
      byOption.get(item.productOptionId)!.refunded += item.quantity;
      byOption.get(item.productOptionId)!.refundedAmount += item.amount;
    }
    refunds.push(items);
  };
  for (const picks of plan) {
    const request: RequestedItem[] = [];
    for (const [linePick, unitPick] of picks) {
      const open = lines.filter((l) => l.refunded < l.quantity && !request.some((r) => r.productOptionId === l.productOptionId));
      if (open.length === 0) break;
      const chosen = open[linePick % open.length];
      request.push({ productOptionId: chosen.productOptionId, quantity: 1 + (unitPick % (chosen.quantity - chosen.refunded)) });
    }
    if (request.length > 0) refund(request);
  }
  const rest = unrefundedItems(lines);
  if (rest.length > 0) refund(rest);
  return refunds;
}

const finalAmountOf = (order: RefundableOrder) => originalOf(order.lines) - order.discountAmount;

function perLineTotals(order: RefundableOrder, refunds: RefundedItem[][]): number[] {
  return order.lines.map((l) => sum(refunds.flat().filter((item) => item.productOptionId === l.productOptionId).map((item) => item.amount)));
}

describe('refund amounts, for any order and any split', () => {
  it('refunds exactly finalAmount once every unit is refunded', () => {
    fc.assert(
      fc.property(orders, refundPlans, (order, plan) => {
        expect(sum(refundInSteps(order, plan).flat().map((item) => item.amount))).toBe(finalAmountOf(order));
      }),
      RUNS,
    );
  });

  it('never refunds a negative amount', () => {
    fc.assert(
      fc.property(orders, refundPlans, (order, plan) => {
        for (const item of refundInSteps(order, plan).flat()) expect(item.amount).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('never returns more of a line than its net, and all of it in the end', () => {
    fc.assert(
      fc.property(orders, refundPlans, (order, plan) => {
        const nets = lineNets(order.lines, order.discountAmount);
        const returned = order.lines.map(() => 0);
        for (const item of refundInSteps(order, plan).flat()) {
          const i = order.lines.findIndex((l) => l.productOptionId === item.productOptionId);
          returned[i] += item.amount;
          expect(returned[i]).toBeLessThanOrEqual(nets[i]);
        }
        expect(returned).toEqual(nets);
      }),
      RUNS,
    );
  });

  it('splits the discount exactly, each line getting its floor share or one won more', () => {
    fc.assert(
      fc.property(orders, ({ lines, discountAmount }) => {
        const nets = lineNets(lines, discountAmount);
        const shares = lines.map((l, i) => l.unitPrice * l.quantity - nets[i]);
        expect(sum(nets)).toBe(originalOf(lines) - discountAmount);
        expect(sum(shares)).toBe(discountAmount);

        const original = BigInt(originalOf(lines));
        const exact = lines.map((l) => BigInt(discountAmount) * BigInt(l.unitPrice * l.quantity));
        const floors = exact.map((e) => (original === 0n ? 0 : Number(e / original)));
        const remainders = exact.map((e) => (original === 0n ? 0n : e % original));
        const extra = shares.map((share, i) => share - floors[i]);
        expect(extra.filter((won) => won !== 0 && won !== 1)).toEqual([]);
        // Largest remainder, earlier line on a tie: no line left without the extra won ranks
        // before a line that got it.
        const ranksBefore = (i: number, j: number) => remainders[i] > remainders[j] || (remainders[i] === remainders[j] && i < j);
        const misplaced = extra.flatMap((won, j) => (won === 0 ? extra.flatMap((other, i) => (other === 1 && !ranksBefore(i, j) ? [[i, j]] : [])) : []));
        expect(misplaced).toEqual([]);
      }),
      RUNS,
    );
  });

  it('refunds each line the same whatever the split', () => {
    fc.assert(
      fc.property(orders, refundPlans, refundPlans, (order, planA, planB) => {
        const inOneGo = perLineTotals(order, [refundAmounts(order, unrefundedItems(order.lines))]);
        expect(perLineTotals(order, refundInSteps(order, planA))).toEqual(inOneGo);
        expect(perLineTotals(order, refundInSteps(order, planB))).toEqual(inOneGo);
      }),
      RUNS,
    );
  });
});

describe('refund amounts when refunds fail and release their units (CANCEL_FAILED), in any order', () => {
  /**
   * Like refundInSteps, but after each refund one earlier refund still standing may fail: its
   * units and won go back to the line, out of order, and are refunded again later. Returns the
   * refunds that stand in the end.
   */
  function refundWithFailures(order: RefundableOrder, plan: [number, number][][], failures: number[]): RefundedItem[][] {
    const lines = order.lines.map((l) => ({ ...l }));
    const byOption = new Map(lines.map((l) => [l.productOptionId, l]));
    const standing: RefundedItem[][] = [];
    const apply = (items: RefundedItem[], sign: 1 | -1) => {
      for (const item of items) {
        byOption.get(item.productOptionId)!.refunded += sign * item.quantity;
        byOption.get(item.productOptionId)!.refundedAmount += sign * item.amount;
      }
    };
    plan.forEach((picks, step) => {
      const request: RequestedItem[] = [];
      for (const [linePick, unitPick] of picks) {
        const open = lines.filter((l) => l.refunded < l.quantity && !request.some((r) => r.productOptionId === l.productOptionId));
        if (open.length === 0) break;
        const chosen = open[linePick % open.length];
        request.push({ productOptionId: chosen.productOptionId, quantity: 1 + (unitPick % (chosen.quantity - chosen.refunded)) });
      }
      if (request.length > 0) {
        const items = refundAmounts({ ...order, lines }, request);
        for (const item of items) expect(item.amount).toBeGreaterThanOrEqual(0);
        apply(items, 1);
        standing.push(items);
      }
      const failure = failures[step % failures.length];
      if (failure % 3 === 0 && standing.length > 0) apply(standing.splice(failure % standing.length, 1)[0], -1);
    });
    const rest = unrefundedItems(lines);
    if (rest.length > 0) standing.push(refundAmounts({ ...order, lines }, rest));
    return standing;
  }

  it('still returns exactly each line net and finalAmount, never a negative amount, never more than a net', () => {
    fc.assert(
      fc.property(orders, refundPlans, fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), (order, plan, failures) => {
        const standing = refundWithFailures(order, plan, failures);
        for (const item of standing.flat()) expect(item.amount).toBeGreaterThanOrEqual(0);
        expect(perLineTotals(order, standing)).toEqual(lineNets(order.lines, order.discountAmount));
        expect(sum(standing.flat().map((item) => item.amount))).toBe(finalAmountOf(order));
      }),
      RUNS,
    );
  });
});
