import { Module } from '@nestjs/common';
import { CouponModule } from '../coupon/coupon.module';
import { ProductModule } from '../product/product.module';
import { CancelOrderUseCase } from './application/cancel-order.use-case';
import { CreateOrderUseCase } from './application/create-order.use-case';
import { ExpireOrdersUseCase } from './application/expire-orders.use-case';
import { GetOrderUseCase } from './application/get-order.use-case';
import { ListOrdersUseCase } from './application/list-orders.use-case';
import { OrderExpiryScheduler } from './application/order-expiry.scheduler';
import { OrderRepository } from './infrastructure/order.repository';
import { OrdersController } from './presentation/orders.controller';

@Module({
  imports: [ProductModule, CouponModule],
  controllers: [OrdersController],
  providers: [
    OrderRepository,
    CreateOrderUseCase,
    ListOrdersUseCase,
    GetOrderUseCase,
    CancelOrderUseCase,
    ExpireOrdersUseCase,
    OrderExpiryScheduler,
  ],
})
export class OrderModule {}
