import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { PinoLogger } from 'nestjs-pino';
import { Product } from '../domain/product';
import type { NewProduct } from '../domain/product';
import { ProductStore } from './ports/product-store.port';

@Injectable()
export class CreateProductUseCase {
  constructor(
    private readonly products: ProductStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CreateProductUseCase.name);
  }

  /** A product never exists without its options: both inserts commit together or not at all. */
  @Transactional()
  async execute(draft: NewProduct): Promise<Product> {
    Product.assertNew(draft);
    const product = await this.products.insert(draft);
    this.logger.info({ productId: product.id, options: product.options.length }, 'product created');
    return product;
  }
}
