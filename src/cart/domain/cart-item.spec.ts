import { ValidationFailedError } from '../../common/errors/domain-error';
import {
  CartItemNotFoundError,
  CartItemQuantityExceededError,
  MAX_ITEM_QUANTITY,
  ProductOptionNotFoundError,
  assertItemQuantity,
} from './cart-item';

describe('cart item rules', () => {
  it.each([1, MAX_ITEM_QUANTITY])('accepts adding %p', (quantity) => {
    expect(() => assertItemQuantity(quantity)).not.toThrow();
  });

  it.each([0, -1, 1.5, MAX_ITEM_QUANTITY + 1, Number.NaN])('refuses adding %p with VALIDATION_FAILED', (quantity) => {
    expect(() => assertItemQuantity(quantity)).toThrow(ValidationFailedError);
  });

  it('reports a cart over the cap as a 400 VALIDATION_FAILED that says what the cap is', () => {
    const error = new CartItemQuantityExceededError(5);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(String(MAX_ITEM_QUANTITY));
  });

  it('answers an unknown option with the catalog code PRODUCT_NOT_FOUND and a missing item with CART_ITEM_NOT_FOUND, both 404', () => {
    expect(new ProductOptionNotFoundError(7).code).toBe('PRODUCT_NOT_FOUND');
    expect(new CartItemNotFoundError(7).code).toBe('CART_ITEM_NOT_FOUND');
    expect(new ProductOptionNotFoundError(7).status).toBe(404);
    expect(new CartItemNotFoundError(7).status).toBe(404);
  });
});
