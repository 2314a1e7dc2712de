import { ValidationFailedError } from '../../common/errors/domain-error';
import { amountsOf, assertMayOpenOrder, assertOrderItems, inLockOrder } from './order';
import { TooManyOpenOrdersError } from './order.errors';

const item = (productOptionId: number, quantity: number, unitPrice = 1_000) => ({ productOptionId, quantity, unitPrice, productId: 1 });

describe('order rules', () => {
  it('lets a user open orders up to the cap, not one more', () => {
    expect(() => assertMayOpenOrder(0, 10)).not.toThrow();
    expect(() => assertMayOpenOrder(9, 10)).not.toThrow();
    expect(() => assertMayOpenOrder(10, 10)).toThrow(TooManyOpenOrdersError);
    expect(() => assertMayOpenOrder(11, 10)).toThrow(expect.objectContaining({ code: 'TOO_MANY_OPEN_ORDERS', status: 409 }));
  });

  it('accepts 1 to 50 distinct items', () => {
    expect(() => assertOrderItems([item(1, 1)])).not.toThrow();
    expect(() => assertOrderItems(Array.from({ length: 50 }, (_, i) => item(i + 1, 1_000)))).not.toThrow();
  });

  it.each([
    ['no items', []],
    ['51 items', Array.from({ length: 51 }, (_, i) => item(i + 1, 1))],
    ['a repeated option', [item(1, 1), item(1, 2)]],
    ['quantity 0', [item(1, 0)]],
    ['quantity 1001', [item(1, 1_001)]],
  ])('refuses %s', (_, items) => {
    expect(() => assertOrderItems(items)).toThrow(ValidationFailedError);
  });

  it('sums unit price times quantity and applies the discount', () => {
    expect(amountsOf([item(1, 2, 12_000), item(2, 1, 5_000)], 2_900)).toEqual({ originalAmount: 29_000, discountAmount: 2_900, finalAmount: 26_100 });
  });

  it('never lets the final amount go below zero', () => {
    expect(amountsOf([item(1, 1, 3_000)], 5_000)).toEqual({ originalAmount: 3_000, discountAmount: 3_000, finalAmount: 0 });
    expect(amountsOf([item(1, 1, 0)], 0)).toEqual({ originalAmount: 0, discountAmount: 0, finalAmount: 0 });
  });

  it('orders items by option id for locking without mutating the input', () => {
    const items = [item(9, 1), item(2, 1), item(5, 1)];
    expect(inLockOrder(items).map((i) => i.productOptionId)).toEqual([2, 5, 9]);
    expect(items.map((i) => i.productOptionId)).toEqual([9, 2, 5]);
  });
});
