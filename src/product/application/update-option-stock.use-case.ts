import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { PinoLogger } from 'nestjs-pino';
import { Product } from '../domain/product';
import { ProductNotFoundError } from '../domain/product.errors';
import { ProductStore } from './ports/product-store.port';

@Injectable()
export class UpdateOptionStockUseCase {
  constructor(
    private readonly products: ProductStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(UpdateOptionStockUseCase.name);
  }

  /**
   * The common case is one conditional UPDATE. Only when it matches nothing do we look closer,
   * with the row locked so that the reason we report is still true when we report it.
   */
  @Transactional()
  async execute(productId: number, optionId: number, onHand: number): Promise<Product> {
    if (!(await this.products.setOnHand(productId, optionId, onHand))) {
      const option = await this.products.lockOption(productId, optionId);
      if (!option) throw new ProductNotFoundError(productId);
      const recounted = option.withOnHand(onHand);
      // Reached only when a reservation was released after the refused UPDATE; the row is locked
      // now, so this one matches.
      await this.products.setOnHand(productId, recounted.id, recounted.onHand);
    }
    this.logger.info({ productId, optionId, onHand }, 'option stock recounted');
    const product = await this.products.findById(productId);
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }
}
