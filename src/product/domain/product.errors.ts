import { errorOf } from '../../common/errors/domain-error';

export class ProductNotFoundError extends errorOf('PRODUCT_NOT_FOUND', 404) {
  constructor(productId: number) {
    super(`Product ${productId} or the option asked for does not exist`);
  }
}

export class StockBelowReservedError extends errorOf('STOCK_BELOW_RESERVED', 409) {
  constructor(onHand: number, reserved: number) {
    super(`onHand cannot be ${onHand}: unpaid orders reserve ${reserved} of this option`);
  }
}

export class InsufficientStockError extends errorOf('INSUFFICIENT_STOCK', 409) {
  constructor(optionId: number) {
    super(`Not enough stock left for option ${optionId}`);
  }
}
