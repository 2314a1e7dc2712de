import { Module } from '@nestjs/common';
import { CouponModule } from '../coupon/coupon.module';
import { ProductModule } from '../product/product.module';
import { CancelOrderUseCase } from './application/cancel-order.use-case';
import { CreateOrderUseCase } from './application/create-order.use-case';
import { ExpireOrdersUseCase } from './application/expire-orders.use-case';
import { GetOrderUseCase } from './application/get-order.use-case';
import { ListOrdersUseCase } from './application/list-orders.use-case';
import { ExportOrderEventListener } from './application/listeners/export-order-event.listener';
import { SendOrderCompletedPushListener } from './application/listeners/send-order-completed-push.listener';
import { OrderExpiryScheduler } from './application/order-expiry.scheduler';
import { OrderPayments } from './application/order-payments';
import { OrderRefunds } from './application/order-refunds';
import { NOTIFIER } from './application/ports/notifier.port';
import { DataPlatformClient } from './infrastructure/data-platform.client';
import { LogNotifier } from './infrastructure/log-notifier';
import { OrderMetrics } from './infrastructure/order.metrics';
import { OrderRefundRepository } from './infrastructure/order-refund.repository';
import { OrderRepository } from './infrastructure/order.repository';
import { OrdersController } from './presentation/orders.controller';

@Module({
  imports: [ProductModule, CouponModule],
  controllers: [OrdersController],
  providers: [
    OrderRepository,
    OrderMetrics,
    CreateOrderUseCase,
    ListOrdersUseCase,
    GetOrderUseCase,
    CancelOrderUseCase,
    ExpireOrdersUseCase,
    OrderExpiryScheduler,
    OrderPayments,
    OrderRefunds,
    OrderRefundRepository,
    DataPlatformClient,
    ExportOrderEventListener,
    SendOrderCompletedPushListener,
    { provide: NOTIFIER, useClass: LogNotifier },
  ],
  exports: [OrderPayments, OrderRefunds],
})
export class OrderModule {}
