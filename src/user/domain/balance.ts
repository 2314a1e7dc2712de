import { DomainError, ValidationFailedError } from '../../common/errors/domain-error';

export const MAX_CHARGE_AMOUNT = 10_000_000;

export type BalanceLogType = 'CHARGE' | 'USE' | 'REFUND';

export class InsufficientBalanceError extends DomainError {
  readonly code = 'INSUFFICIENT_BALANCE';

  constructor(needed: number) {
    super(`Balance is lower than the ${needed} won this needs`);
  }
}

/**
 * A user's balance in whole won. The database applies the same rules atomically
 * (conditional UPDATE and CHECK balance >= 0); these are the rules it must agree with.
 */
export class Balance {
  constructor(
    readonly userId: number,
    readonly amount: number,
  ) {}

  static assertChargeAmount(amount: number): void {
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_CHARGE_AMOUNT) {
      throw new ValidationFailedError('Validation failed', [`amount must be an integer from 1 to ${MAX_CHARGE_AMOUNT}`]);
    }
  }

  charge(amount: number): Balance {
    Balance.assertChargeAmount(amount);
    const next = this.amount + amount;
    if (!Number.isSafeInteger(next)) throw new RangeError('balance would exceed the safe integer range');
    return new Balance(this.userId, next);
  }

  deduct(amount: number): Balance {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`cannot deduct ${amount}`);
    if (amount > this.amount) throw new InsufficientBalanceError(amount);
    return new Balance(this.userId, this.amount - amount);
  }
}
