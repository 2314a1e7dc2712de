import { errorOf } from '../../common/errors/domain-error';

export class InsufficientBalanceError extends errorOf('INSUFFICIENT_BALANCE', 402) {
  constructor(needed: number) {
    super(`Balance is lower than the ${needed} won this needs`);
  }
}

export class BalanceLimitExceededError extends errorOf('BALANCE_LIMIT_EXCEEDED', 409) {
  constructor(max: number) {
    super(`This charge would take the balance past ${max} won, the most it may hold`);
  }
}
