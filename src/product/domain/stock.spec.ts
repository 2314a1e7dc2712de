import { perOptionInLockOrder } from './stock';

describe('perOptionInLockOrder', () => {
  it('sums per option and sorts by option id', () => {
    expect(
      perOptionInLockOrder([
        { productOptionId: 7, quantity: 1 },
        { productOptionId: 3, quantity: 2 },
        { productOptionId: 7, quantity: 4 },
      ]),
    ).toEqual([
      { productOptionId: 3, quantity: 2 },
      { productOptionId: 7, quantity: 5 },
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(perOptionInLockOrder([])).toEqual([]);
  });
});
