import { ValidationFailedError } from '../../common/errors/domain-error';

export const MAX_CHARGE_AMOUNT = 10_000_000;
/**
 * API.md, Limits: a charge may not take a balance past this (far below 2^53, so every sum of
 * balances stays exact). Only charges are held to it: a refund always goes back in full.
 */
export const MAX_BALANCE = 1_000_000_000;

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
