import { ValidationFailedError } from '../../common/errors/domain-error';
import { discountFor } from './discount';

describe('discountFor', () => {
  it('takes a FIXED amount off', () => {
    expect(discountFor('FIXED', 3_000, 24_000)).toBe(3_000);
  });

  it('never takes more than the amount (final amount never below zero)', () => {
    expect(discountFor('FIXED', 50_000, 24_000)).toBe(24_000);
    expect(discountFor('FIXED', 1, 0)).toBe(0);
    expect(discountFor('RATE', 100, 24_000)).toBe(24_000);
  });

  it('rounds a RATE down to a whole won', () => {
    expect(discountFor('RATE', 10, 24_000)).toBe(2_400);
    expect(discountFor('RATE', 15, 999)).toBe(149); // 149.85
    expect(discountFor('RATE', 33, 10)).toBe(3); // 3.3
    expect(discountFor('RATE', 1, 99)).toBe(0); // 0.99
  });

  it('is exact for the largest possible order', () => {
    const largest = 50 * 1_000 * 100_000_000;
    expect(discountFor('RATE', 99, largest)).toBe(4_950_000_000_000);
  });

  it.each([
    ['FIXED', 0],
    ['FIXED', 100_000_001],
    ['RATE', 0],
    ['RATE', 101],
    ['RATE', 2.5],
  ] as const)('refuses %s %p', (type, value) => {
    expect(() => discountFor(type, value, 1_000)).toThrow(ValidationFailedError);
  });

  it('refuses a negative amount', () => {
    expect(() => discountFor('FIXED', 1, -1)).toThrow(RangeError);
  });
});
