import { DomainError } from '../../common/errors/domain-error';

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  constructor() {
    super('No such order');
  }
}

export class OrderNotCancellableError extends DomainError {
  readonly code = 'ORDER_NOT_CANCELLABLE';
  constructor(status: string) {
    super(`Only a PENDING order can be cancelled; this one is ${status}`);
  }
}

/** An ordered option that the catalog does not know. */
export class OrderedProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  constructor(optionIds: number[]) {
    super(`No product option ${optionIds.join(', ')}`);
  }
}

export class OrderNotPayableError extends DomainError {
  readonly code = 'ORDER_NOT_PAYABLE';
  constructor(reason: string) {
    super(`This order cannot be paid: ${reason}`);
  }
}
