import { ValidationFailedError } from '../../common/errors/domain-error';
import { assertChargeAmount, MAX_CHARGE_AMOUNT } from './balance';
import { InsufficientBalanceError } from './balance.errors';

describe('balance rules', () => {
  it.each([1, 5_000, MAX_CHARGE_AMOUNT])('accepts a charge of %p', (amount) => {
    expect(() => assertChargeAmount(amount)).not.toThrow();
  });

  it.each([0, -1, 1.5, MAX_CHARGE_AMOUNT + 1, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('refuses a charge of %p', (amount) => {
    expect(() => assertChargeAmount(amount)).toThrow(ValidationFailedError);
  });

  it('names what a payment needed when the balance is short', () => {
    expect(new InsufficientBalanceError(21_600)).toMatchObject({ code: 'INSUFFICIENT_BALANCE', message: expect.stringContaining('21600') });
  });
});
