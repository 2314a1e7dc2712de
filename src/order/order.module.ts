import { Module } from '@nestjs/common';
import { CouponModule } from '../coupon/coupon.module';
import { ProductModule } from '../product/product.module';
import { CancelOrderUseCase } from './application/cancel-order.use-case';
import { CreateOrderUseCase } from './application/create-order.use-case';
import { ExpireOrdersUseCase } from './application/expire-orders.use-case';
import { GetOrderUseCase } from './application/get-order.use-case';
import { ListOrdersUseCase } from './application/list-orders.use-case';
import { ExportToDataPlatformOnOrderEvents } from './application/listeners/export-to-data-platform.on-order-events.after-commit.listener';
import { SendOrderCompletedPushOnOrderProcessed } from './application/listeners/send-order-completed-push.on-order-processed.after-commit.listener';
import { OrderExpiryScheduler } from './application/order-expiry.scheduler';
import { OrderPayments } from './application/order-payments.facade';
import { OrderRefunds } from './application/order-refunds.facade';
import { DataPlatform } from './application/ports/data-platform.port';
import { OrderRefundStore } from './application/ports/order-refund-store.port';
import { OrderStore } from './application/ports/order-store.port';
import { NOTIFIER } from './application/ports/notifier.port';
import { DataPlatformClient } from './infrastructure/data-platform.client';
import { LogNotifier } from './infrastructure/log-notifier';
import { OrderRefundRepository } from './infrastructure/order-refund.repository';
import { OrderRepository } from './infrastructure/order.repository';
import { OrderMetrics } from './order.metrics';
import { OrdersController } from './presentation/orders.controller';

@Module({
  imports: [ProductModule, CouponModule],
  controllers: [OrdersController],
  providers: [
    { provide: OrderStore, useClass: OrderRepository },
    OrderMetrics,
    CreateOrderUseCase,
    ListOrdersUseCase,
    GetOrderUseCase,
    CancelOrderUseCase,
    ExpireOrdersUseCase,
    OrderExpiryScheduler,
    OrderPayments,
    OrderRefunds,
    { provide: OrderRefundStore, useClass: OrderRefundRepository },
    { provide: DataPlatform, useClass: DataPlatformClient },
    ExportToDataPlatformOnOrderEvents,
    SendOrderCompletedPushOnOrderProcessed,
    { provide: NOTIFIER, useClass: LogNotifier },
  ],
  exports: [OrderPayments, OrderRefunds],
})
export class OrderModule {}
