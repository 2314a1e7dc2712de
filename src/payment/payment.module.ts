import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module';
import { ProductModule } from '../product/product.module';
import { Checkouts } from './application/checkouts';
import { CreateCheckoutUseCase } from './application/create-checkout.use-case';
import { CheckoutStore } from './application/ports/checkout-store.port';
import { CheckoutRepository } from './infrastructure/checkout.repository';
import { CheckoutsController } from './presentation/checkouts.controller';
import { GatewayWebhooksController } from './presentation/gateway-webhooks.controller';
import { ActOnWebhookOnGatewayWebhookReceived } from './application/listeners/act-on-webhook.on-gateway-webhook-received.after-commit.listener';
import { WebhookInbox } from './application/ports/webhook-inbox.port';
import { ReceiveGatewayWebhookUseCase } from './application/receive-gateway-webhook.use-case';
import { WebhookInboxRepository } from './infrastructure/webhook-inbox.repository';
import { GatewayChargeCancellation } from './application/gateway-charge-cancellation';
import { GetPaymentUseCase } from './application/get-payment.use-case';
import { CloseVirtualAccountUseCase } from './application/close-virtual-account.use-case';
import { CloseVirtualAccountOnOrderClosingAccount } from './application/listeners/close-virtual-account.on-order-closing-account.outside-transaction.listener';
import { CancelChargeOnPaymentCancellationRequested } from './application/listeners/cancel-charge.on-payment-cancellation-requested.after-commit.listener';
import { MarkChargeCancelFailedOnOutboxDeadLettering } from './application/listeners/mark-charge-cancel-failed.on-outbox-dead-lettering.in-transaction.listener';
import { ListOrderPaymentsUseCase } from './application/list-order-payments.use-case';
import { PayThroughGatewayUseCase } from './application/pay-through-gateway.use-case';
import { PayWithBalanceUseCase } from './application/pay-with-balance.use-case';
import { PaymentOutcomes } from './application/payment-outcomes';
import { PaymentBooks } from './application/payment-books.facade';
import { PaymentRefunds } from './application/payment-refunds.facade';
import { PaymentGateway } from './application/ports/payment-gateway.port';
import { PaymentLock } from './application/ports/payment-lock.port';
import { PaymentStore } from './application/ports/payment-store.port';
import { ReconcileGatewayPaymentsJob } from './application/reconcile-gateway-payments.job';
import { ReconcileGatewayPaymentsUseCase } from './application/reconcile-gateway-payments.use-case';
import { PaymentRepository } from './infrastructure/payment.repository';
import { RedlockPaymentLock } from './infrastructure/redlock-payment-lock';
import { TossPaymentsGateway } from './infrastructure/toss-payments.gateway';
import { PaymentMetrics } from './payment.metrics';
import { PaymentsController } from './presentation/payments.controller';

@Module({
  imports: [OrderModule, ProductModule],
  controllers: [PaymentsController, CheckoutsController, GatewayWebhooksController],
  providers: [
    { provide: PaymentStore, useClass: PaymentRepository },
    { provide: CheckoutStore, useClass: CheckoutRepository },
    Checkouts,
    { provide: WebhookInbox, useClass: WebhookInboxRepository },
    ReceiveGatewayWebhookUseCase,
    ActOnWebhookOnGatewayWebhookReceived,
    CreateCheckoutUseCase,
    { provide: PaymentLock, useClass: RedlockPaymentLock },
    { provide: PaymentGateway, useClass: TossPaymentsGateway },
    PaymentMetrics,
    PaymentOutcomes,
    PayWithBalanceUseCase,
    PayThroughGatewayUseCase,
    GatewayChargeCancellation,
    CloseVirtualAccountUseCase,
    CloseVirtualAccountOnOrderClosingAccount,
    ReconcileGatewayPaymentsUseCase,
    ReconcileGatewayPaymentsJob,
    CancelChargeOnPaymentCancellationRequested,
    MarkChargeCancelFailedOnOutboxDeadLettering,
    GetPaymentUseCase,
    ListOrderPaymentsUseCase,
    PaymentRefunds,
    PaymentBooks,
  ],
  exports: [PaymentRefunds, PaymentBooks],
})
export class PaymentModule {}
