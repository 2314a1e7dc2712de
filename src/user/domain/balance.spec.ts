import { ValidationFailedError } from '../../common/errors/domain-error';
import { Balance, InsufficientBalanceError, MAX_CHARGE_AMOUNT } from './balance';

describe('Balance', () => {
  it('adds a charge', () => {
    expect(new Balance(1, 500).charge(1_000).amount).toBe(1_500);
  });

  it.each([0, -1, 1.5, MAX_CHARGE_AMOUNT + 1, Number.NaN])('refuses a charge of %p', (amount) => {
    expect(() => new Balance(1, 0).charge(amount)).toThrow(ValidationFailedError);
  });

  it('accepts the largest charge', () => {
    expect(new Balance(1, 0).charge(MAX_CHARGE_AMOUNT).amount).toBe(MAX_CHARGE_AMOUNT);
  });

  it('refuses to pass the safe integer range', () => {
    expect(() => new Balance(1, Number.MAX_SAFE_INTEGER - 1).charge(10)).toThrow(RangeError);
  });

  it('deducts down to exactly zero', () => {
    expect(new Balance(1, 700).deduct(700).amount).toBe(0);
  });

  it('refuses to go below zero with INSUFFICIENT_BALANCE', () => {
    const attempt = () => new Balance(1, 699).deduct(700);
    expect(attempt).toThrow(InsufficientBalanceError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_BALANCE' }));
  });

  it('refuses a negative or fractional deduction', () => {
    expect(() => new Balance(1, 10).deduct(-1)).toThrow(RangeError);
    expect(() => new Balance(1, 10).deduct(0.5)).toThrow(RangeError);
  });
});
