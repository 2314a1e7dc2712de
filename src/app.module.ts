import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from './common/auth/auth.module';
import { ConfigModule } from './common/config/config.module';
import { DatabaseModule } from './common/database/database.module';
import { HealthModule } from './common/health/health.module';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { HttpModule } from './common/http/http.module';
import { IdempotencyModule } from './common/http/idempotency/idempotency.module';
import { createValidationPipe } from './common/http/validation.pipe';
import { LoggingModule } from './common/logging/logging.module';
import { MetricsModule } from './common/metrics/metrics.module';
import { RedisModule } from './common/redis/redis.module';
import { SchedulingModule } from './common/scheduling/scheduling.module';
import { AlertingModule } from './alerting/alerting.module';
import { CartModule } from './cart/cart.module';
import { EventsModule } from './common/events/events.module';
import { CouponModule } from './coupon/coupon.module';
import { EventLogModule } from './event-log/event-log.module';
import { OrderModule } from './order/order.module';
import { PaymentModule } from './payment/payment.module';
import { ProductModule } from './product/product.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RefundModule } from './refund/refund.module';
import { UserModule } from './user/user.module';
import { AppConfig, SETTINGS } from './app.settings';
import { MIGRATIONS } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const rateLimit = config.RATE_LIMIT_PER_MINUTE;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, SETTINGS),
        LoggingModule,
        MetricsModule,
        DatabaseModule.forRoot(MIGRATIONS),
        RedisModule,
        EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
        EventsModule,
        HttpModule,
        IdempotencyModule,
        ScheduleModule.forRoot(),
        SchedulingModule,
        // Before AuthModule, so its guard runs first and floods never reach token verification.
        ...(rateLimit ? [ThrottlerModule.forRoot([{ ttl: 60_000, limit: rateLimit }])] : []),
        AuthModule,
        HealthModule,
        UserModule,
        ProductModule,
        CartModule,
        CouponModule,
        OrderModule,
        PaymentModule,
        RefundModule,
        ReconciliationModule,
        AlertingModule,
        EventLogModule.forRoot(config),
      ],
      providers: [
        ...(rateLimit ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }] : []),
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
