import { ValidationFailedError } from '../../common/errors/domain-error';

export const MAX_CHARGE_AMOUNT = 10_000_000;

export type BalanceLogType = 'CHARGE' | 'USE' | 'REFUND';

/**
 * The balance itself only ever moves inside Postgres, by single guarded statements
 * (`balance + amount`, `balance - amount WHERE balance >= amount`, CHECK balance >= 0), so no
 * read-modify-write can lose an update; what a caller can check up front lives here.
 */
export function assertChargeAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_CHARGE_AMOUNT) {
    throw new ValidationFailedError('Validation failed', [`amount must be an integer from 1 to ${MAX_CHARGE_AMOUNT}`]);
  }
}
