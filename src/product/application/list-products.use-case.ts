import { Injectable } from '@nestjs/common';
import { Product } from '../domain/product';
import { ProductStore } from './ports/product-store.port';

@Injectable()
export class ListProductsUseCase {
  constructor(private readonly products: ProductStore) {}

  /** `page` counts from 1; a page past the end is empty but still reports the total. */
  async execute(page: number, size: number): Promise<{ items: Product[]; total: number }> {
    return this.products.page((page - 1) * size, size);
  }
}
