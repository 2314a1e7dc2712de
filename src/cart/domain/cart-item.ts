import { errorOf, ValidationFailedError } from '../../common/errors/domain-error';

/** The most of one option a cart may hold, counting every add; the database CHECK says the same. */
export const MAX_ITEM_QUANTITY = 1_000;

export class CartItemNotFoundError extends errorOf('CART_ITEM_NOT_FOUND', 404) {
  constructor(itemId: number) {
    super(`Cart item ${itemId} does not exist`);
  }
}

/** The cart names what it could not find in the catalog with the catalog's own error code. */
export class ProductOptionNotFoundError extends errorOf('PRODUCT_NOT_FOUND', 404) {
  constructor(productOptionId: number) {
    super(`Product option ${productOptionId} does not exist`);
  }
}

export class CartItemQuantityExceededError extends ValidationFailedError {
  constructor(added: number) {
    super(`Adding ${added} would put more than ${MAX_ITEM_QUANTITY} of this option in the cart`, [
      `quantity in the cart may not exceed ${MAX_ITEM_QUANTITY} per option`,
    ]);
  }
}

/** How many of an option one request may add. What the cart already holds is checked by the upsert. */
export function assertItemQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_ITEM_QUANTITY) {
    throw new ValidationFailedError('Validation failed', [`quantity must be an integer from 1 to ${MAX_ITEM_QUANTITY}`]);
  }
}
