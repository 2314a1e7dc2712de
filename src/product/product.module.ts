import { Module } from '@nestjs/common';
import { CreateProductUseCase } from './application/create-product.use-case';
import { GetProductUseCase } from './application/get-product.use-case';
import { GetTopProductsUseCase } from './application/get-top-products.use-case';
import { ListProductsUseCase } from './application/list-products.use-case';
import { CountSaleOnOrderProcessed } from './application/listeners/count-sale.on-order-processed.after-commit.listener';
import { ReleaseReservedStockOnOrderReleasing } from './application/listeners/release-reserved-stock.on-order-releasing.in-transaction.listener';
import { ReserveStockOnOrderPlacing } from './application/listeners/reserve-stock.on-order-placing.in-transaction.listener';
import { RestockOnRefundCompleting } from './application/listeners/restock.on-refund-completing.in-transaction.listener';
import { SellReservedStockOnOrderProcessing } from './application/listeners/sell-reserved-stock.on-order-processing.in-transaction.listener';
import { UncountSaleOnOrderRefunded } from './application/listeners/uncount-sale.on-order-refunded.after-commit.listener';
import { ProductCatalog } from './application/product-catalog.facade';
import { ProductMetrics } from './product.metrics';
import { SalesRanking } from './application/sales-ranking';
import { UpdateOptionStockUseCase } from './application/update-option-stock.use-case';
import { ProductStore } from './application/ports/product-store.port';
import { SalesRankingStore } from './application/ports/sales-ranking-store.port';
import { StockStore } from './application/ports/stock-store.port';
import { ProductRepository } from './infrastructure/product.repository';
import { RedisSalesRankingStore } from './infrastructure/redis-sales-ranking.store';
import { StockRepository } from './infrastructure/stock.repository';
import { AdminProductsController } from './presentation/admin-products.controller';
import { ProductsController } from './presentation/products.controller';
import { TopProductsController } from './presentation/top-products.controller';

@Module({
  // TopProductsController first: Express matches in registration order, and /products/:id would take "top".
  controllers: [TopProductsController, ProductsController, AdminProductsController],
  providers: [
    { provide: ProductStore, useClass: ProductRepository },
    { provide: StockStore, useClass: StockRepository },
    { provide: SalesRankingStore, useClass: RedisSalesRankingStore },
    CreateProductUseCase,
    GetProductUseCase,
    ListProductsUseCase,
    UpdateOptionStockUseCase,
    GetTopProductsUseCase,
    SalesRanking,
    ProductCatalog,
    ProductMetrics,
    ReserveStockOnOrderPlacing,
    SellReservedStockOnOrderProcessing,
    ReleaseReservedStockOnOrderReleasing,
    RestockOnRefundCompleting,
    CountSaleOnOrderProcessed,
    UncountSaleOnOrderRefunded,
  ],
  exports: [ProductCatalog],
})
export class ProductModule {}
