import { errorOf } from '../../common/errors/domain-error';

export class PaymentInProgressError extends errorOf('PAYMENT_IN_PROGRESS', 409, { retryable: true }) {
  constructor() {
    super('Another payment of this order is in progress');
  }
}

export class PaymentNotFoundError extends errorOf('PAYMENT_NOT_FOUND', 404) {
  constructor() {
    super('No such payment');
  }
}
