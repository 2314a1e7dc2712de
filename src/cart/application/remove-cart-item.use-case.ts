import { Injectable } from '@nestjs/common';
import { CartItemNotFoundError } from '../domain/cart-item';
import { CartRepository } from '../infrastructure/cart.repository';

@Injectable()
export class RemoveCartItemUseCase {
  constructor(private readonly carts: CartRepository) {}

  async execute(userId: number, itemId: number): Promise<void> {
    if (!(await this.carts.delete(userId, itemId))) throw new CartItemNotFoundError(itemId);
  }
}
