import { Module } from '@nestjs/common';
import { CreateProductUseCase } from './application/create-product.use-case';
import { GetProductUseCase } from './application/get-product.use-case';
import { ListProductsUseCase } from './application/list-products.use-case';
import { ProductCatalog } from './application/product-catalog';
import { UpdateOptionStockUseCase } from './application/update-option-stock.use-case';
import { OnOrderPlacingListener } from './application/listeners/on-order-placing.listener';
import { OnOrderReleasingListener } from './application/listeners/on-order-releasing.listener';
import { StockRepository } from './infrastructure/stock.repository';
import { ProductRepository } from './infrastructure/product.repository';
import { AdminProductsController } from './presentation/admin-products.controller';
import { ProductsController } from './presentation/products.controller';

@Module({
  controllers: [ProductsController, AdminProductsController],
  providers: [ProductRepository, CreateProductUseCase, GetProductUseCase, ListProductsUseCase, UpdateOptionStockUseCase, ProductCatalog, StockRepository, OnOrderPlacingListener, OnOrderReleasingListener],
  exports: [ProductCatalog],
})
export class ProductModule {}
