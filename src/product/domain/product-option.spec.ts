import { MAX_ON_HAND, ProductOption, availableStock } from './product-option';
import { StockBelowReservedError } from './product.errors';

describe('ProductOption', () => {
  it('offers what is on hand less what unpaid orders reserve', () => {
    expect(new ProductOption(1, 'M', 10, 3).stock).toBe(7);
    expect(availableStock(5, 5)).toBe(0);
  });

  it('may be recounted down to exactly the reserved count, leaving no stock', () => {
    const recounted = new ProductOption(1, 'M', 10, 4).withOnHand(4);
    expect(recounted).toMatchObject({ onHand: 4, reserved: 4, stock: 0 });
  });

  it('may be recounted up to the largest count', () => {
    expect(new ProductOption(1, 'M', 0, 0).withOnHand(MAX_ON_HAND).onHand).toBe(MAX_ON_HAND);
  });

  it('refuses a recount below what unpaid orders reserve with STOCK_BELOW_RESERVED (409)', () => {
    const attempt = () => new ProductOption(1, 'M', 10, 4).withOnHand(3);
    expect(attempt).toThrow(StockBelowReservedError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'STOCK_BELOW_RESERVED' }));
    expect(attempt).toThrow(expect.objectContaining({ status: 409 }));
  });

  it.each([-1, 1.5, MAX_ON_HAND + 1, Number.NaN])('refuses an onHand of %p', (onHand) => {
    expect(() => new ProductOption(1, 'M', 10, 0).withOnHand(onHand)).toThrow(RangeError);
  });
});
