import { Injectable } from '@nestjs/common';
import { Product } from '../domain/product';
import { ProductNotFoundError } from '../domain/product.errors';
import { ProductStore } from './ports/product-store.port';

@Injectable()
export class GetProductUseCase {
  constructor(private readonly products: ProductStore) {}

  async execute(productId: number): Promise<Product> {
    const product = await this.products.findById(productId);
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }
}
