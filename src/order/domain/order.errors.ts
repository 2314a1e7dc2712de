import { errorOf } from '../../common/errors/domain-error';

export class OrderNotFoundError extends errorOf('ORDER_NOT_FOUND', 404) {
  constructor() {
    super('No such order');
  }
}

export class OrderNotCancellableError extends errorOf('ORDER_NOT_CANCELLABLE', 409) {
  constructor(status: string) {
    super(`Only a PENDING order, or one waiting for its virtual account's deposit, can be cancelled; this one is ${status}`);
  }
}

/** An ordered option that the catalog does not know. */
export class OrderedProductNotFoundError extends errorOf('PRODUCT_NOT_FOUND', 404) {
  constructor(optionIds: number[]) {
    super(`No product option ${optionIds.join(', ')}`);
  }
}

export class OrderNotPayableError extends errorOf('ORDER_NOT_PAYABLE', 409) {
  constructor(reason: string) {
    super(`This order cannot be paid: ${reason}`);
  }
}

/** The order's own view of a payment already holding it (PAYING). */
export class OrderPaymentInProgressError extends errorOf('PAYMENT_IN_PROGRESS', 409, { retryable: true }) {
  constructor() {
    super('Another payment of this order is in progress');
  }
}

export class OrderNotRefundableError extends errorOf('ORDER_NOT_REFUNDABLE', 409) {
  constructor(status: string) {
    super(`Only a PAID or PARTIALLY_REFUNDED order can be refunded; this one is ${status}`);
  }
}

/** API.md, Limits: a user's PENDING or PAYING orders are capped, so that nobody holds the stock without paying. */
export class TooManyOpenOrdersError extends errorOf('TOO_MANY_OPEN_ORDERS', 409) {
  constructor(max: number) {
    super(`You have ${max} open orders, the most allowed; pay or cancel one first`);
  }
}
