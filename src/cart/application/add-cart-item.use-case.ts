import { Injectable } from '@nestjs/common';
import { ProductCatalog } from '../../product/application/product-catalog.facade';
import { CartItemQuantityExceededError, ProductOptionNotFoundError, assertItemQuantity } from '../domain/cart-item';
import { CartStore } from './ports/cart-store.port';
import { CartView, GetCartUseCase } from './get-cart.use-case';

@Injectable()
export class AddCartItemUseCase {
  constructor(
    private readonly carts: CartStore,
    private readonly catalog: ProductCatalog,
    private readonly getCart: GetCartUseCase,
  ) {}

  /** A cart may hold an option that is out of stock right now; stock is checked when ordering. */
  async execute(userId: number, productOptionId: number, quantity: number): Promise<CartView> {
    assertItemQuantity(quantity);
    const [option] = await this.catalog.findOptions([productOptionId]);
    if (!option) throw new ProductOptionNotFoundError(productOptionId);
    if (!(await this.carts.addQuantity(userId, productOptionId, quantity))) throw new CartItemQuantityExceededError(quantity);
    return this.getCart.execute(userId);
  }
}
