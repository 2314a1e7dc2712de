import { Injectable } from '@nestjs/common';
import { CartItemNotFoundError } from '../domain/cart-item';
import { CartStore } from './ports/cart-store.port';

@Injectable()
export class RemoveCartItemUseCase {
  constructor(private readonly carts: CartStore) {}

  async execute(userId: number, itemId: number): Promise<void> {
    if (!(await this.carts.delete(userId, itemId))) throw new CartItemNotFoundError(itemId);
  }
}
