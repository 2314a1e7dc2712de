import { Injectable } from '@nestjs/common';
import { Product } from '../domain/product';
import { ProductNotFoundError } from '../domain/product.errors';
import { ProductRepository } from '../infrastructure/product.repository';

@Injectable()
export class GetProductUseCase {
  constructor(private readonly products: ProductRepository) {}

  async execute(productId: number): Promise<Product> {
    const product = await this.products.findById(productId);
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }
}
