import { Module } from '@nestjs/common';
import { OnOrderRefundRestockListener } from './application/listeners/on-order-refund.listener';
import { CreateProductUseCase } from './application/create-product.use-case';
import { GetProductUseCase } from './application/get-product.use-case';
import { GetTopProductsUseCase } from './application/get-top-products.use-case';
import { ListProductsUseCase } from './application/list-products.use-case';
import { CountSaleListener } from './application/listeners/count-sale.listener';
import { OnOrderPlacingListener } from './application/listeners/on-order-placing.listener';
import { OnOrderProcessingSellStockListener } from './application/listeners/on-order-processing.listener';
import { OnOrderReleasingListener } from './application/listeners/on-order-releasing.listener';
import { ProductCatalog } from './application/product-catalog';
import { SalesRanking } from './application/sales-ranking';
import { UpdateOptionStockUseCase } from './application/update-option-stock.use-case';
import { ProductRepository } from './infrastructure/product.repository';
import { SalesRankingStore } from './infrastructure/sales-ranking.store';
import { StockRepository } from './infrastructure/stock.repository';
import { AdminProductsController } from './presentation/admin-products.controller';
import { ProductsController } from './presentation/products.controller';
import { TopProductsController } from './presentation/top-products.controller';

@Module({
  // TopProductsController first: Express matches in registration order, and /products/:id would take "top".
  controllers: [TopProductsController, ProductsController, AdminProductsController],
  providers: [
    OnOrderRefundRestockListener,
    ProductRepository,
    StockRepository,
    SalesRankingStore,
    CreateProductUseCase,
    GetProductUseCase,
    ListProductsUseCase,
    UpdateOptionStockUseCase,
    GetTopProductsUseCase,
    SalesRanking,
    ProductCatalog,
    OnOrderPlacingListener,
    OnOrderReleasingListener,
    OnOrderProcessingSellStockListener,
    CountSaleListener,
  ],
  exports: [ProductCatalog],
})
export class ProductModule {}
