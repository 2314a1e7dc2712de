import { ValidationFailedError } from '../../common/errors/domain-error';
import { MAX_OPTIONS, MAX_PRICE, NewProduct, Product } from './product';
import { MAX_ON_HAND } from './product-option';

const valid: NewProduct = { name: 'Cotton T-shirt', price: 19_000, options: [{ name: 'S', stock: 3 }, { name: 'M', stock: 0 }] };

function refusal(draft: NewProduct): ValidationFailedError {
  try {
    Product.assertNew(draft);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error;
    throw error;
  }
  throw new Error('expected the draft to be refused');
}

describe('Product.assertNew', () => {
  it('accepts a well-formed product, including the limits themselves', () => {
    expect(() => Product.assertNew(valid)).not.toThrow();
    const options = Array.from({ length: MAX_OPTIONS }, (_, i) => ({ name: `#${i}`, stock: i === 0 ? MAX_ON_HAND : 0 }));
    expect(() => Product.assertNew({ name: 'x'.repeat(200), price: MAX_PRICE, options })).not.toThrow();
    expect(() => Product.assertNew({ ...valid, price: 0 })).not.toThrow();
  });

  it('refuses two options with the same name and names the duplicate', () => {
    const error = refusal({ ...valid, options: [{ name: 'M', stock: 1 }, { name: 'L', stock: 1 }, { name: 'M', stock: 2 }] });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual(['option name "M" appears more than once']);
  });

  it('counts characters, not UTF-16 units: 200 emoji are a name of 200', () => {
    expect(() => Product.assertNew({ ...valid, name: '😀'.repeat(200), options: [{ name: '😀'.repeat(100), stock: 1 }] })).not.toThrow();
    expect(refusal({ ...valid, name: '😀'.repeat(201) }).errors).toHaveLength(1);
  });

  it('treats names that differ only in case as distinct options', () => {
    expect(() => Product.assertNew({ ...valid, options: [{ name: 'm', stock: 1 }, { name: 'M', stock: 1 }] })).not.toThrow();
  });

  it.each([
    ['no options', { ...valid, options: [] }],
    ['too many options', { ...valid, options: Array.from({ length: MAX_OPTIONS + 1 }, (_, i) => ({ name: `#${i}`, stock: 1 })) }],
    ['a negative price', { ...valid, price: -1 }],
    ['a price above the limit', { ...valid, price: MAX_PRICE + 1 }],
    ['a fractional price', { ...valid, price: 1.5 }],
    ['a negative stock', { ...valid, options: [{ name: 'S', stock: -1 }] }],
    ['a stock above the limit', { ...valid, options: [{ name: 'S', stock: MAX_ON_HAND + 1 }] }],
    ['an empty product name', { ...valid, name: '' }],
    ['an untrimmed product name', { ...valid, name: ' shirt' }],
    ['a product name of 201 characters', { ...valid, name: 'x'.repeat(201) }],
    ['an empty option name', { ...valid, options: [{ name: '', stock: 1 }] }],
    ['an option name of 101 characters', { ...valid, options: [{ name: 'x'.repeat(101), stock: 1 }] }],
    ['a product name holding NUL', { ...valid, name: 'a\u0000b' }],
    ['an option name with a lone surrogate', { ...valid, options: [{ name: 'a\ud800', stock: 1 }] }],
  ])('refuses %s', (_, draft) => {
    expect(refusal(draft).errors).toHaveLength(1);
  });
});
