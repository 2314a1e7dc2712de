import { DomainError } from '../../common/errors/domain-error';

export class PaymentInProgressError extends DomainError {
  readonly code = 'PAYMENT_IN_PROGRESS';
  constructor() {
    super('Another payment of this order is in progress');
  }
}

export class PaymentNotFoundError extends DomainError {
  readonly code = 'PAYMENT_NOT_FOUND';
  constructor() {
    super('No such payment');
  }
}
