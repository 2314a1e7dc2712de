import { errorOf } from '../../common/errors/domain-error';

export class InsufficientBalanceError extends errorOf('INSUFFICIENT_BALANCE', 402) {
  constructor(needed: number) {
    super(`Balance is lower than the ${needed} won this needs`);
  }
}
