import { DomainError } from '../../common/errors/domain-error';

export class ProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';

  constructor(productId: number) {
    super(`Product ${productId} or the option asked for does not exist`);
  }
}

export class StockBelowReservedError extends DomainError {
  readonly code = 'STOCK_BELOW_RESERVED';

  constructor(onHand: number, reserved: number) {
    super(`onHand cannot be ${onHand}: unpaid orders reserve ${reserved} of this option`);
  }
}
