import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { OrderPayments } from '../../order/application/order-payments.facade';
import { ProductCatalog } from '../../product/application/product-catalog.facade';
import { PaymentMethodUnavailableError } from '../domain/payment.errors';
import { PaymentSettings } from '../payment.settings';
import { CheckoutMethod, CheckoutStore } from './ports/checkout-store.port';

/** What the client opens the gateway's checkout widget with (API.md `Checkout`). */
export interface Checkout {
  orderId: number;
  gatewayOrderId: string;
  amount: number;
  orderName: string;
  method: CheckoutMethod;
  customerKey: string;
  expiresAt: Date;
}

/**
 * Prepares a gateway payment of a PENDING order: a new gateway order id every time, so that an
 * order whose earlier charge was cancelled at the gateway (which refuses a second approval for
 * an order id it approved once) can be paid again.
 */
@Injectable()
export class CreateCheckoutUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderPayments,
    private readonly catalog: ProductCatalog,
    private readonly checkouts: CheckoutStore,
    private readonly settings: PaymentSettings,
    private readonly logContext: RequestLogContext,
  ) {}

  async execute(userId: number, orderId: number, method: CheckoutMethod): Promise<Checkout> {
    if (!this.settings.PG_BASE_URL) throw new PaymentMethodUnavailableError();
    this.logContext.assign({ orderId });
    return this.unitOfWork.run(async () => {
      const order = await this.orders.payable(userId, orderId);
      const checkout = await this.checkouts.insert(order.id, userId, method, order.finalAmount);
      return {
        orderId: order.id,
        gatewayOrderId: checkout.gatewayOrderId,
        amount: checkout.amount,
        orderName: await this.orderName(order.items.map((i) => i.productOptionId)),
        method,
        customerKey: this.customerKeyOf(userId),
        expiresAt: order.expiresAt,
      };
    });
  }

  /** As Korean shops name an order in the widget: its first product, and how many more lines. */
  private async orderName(optionIds: number[]): Promise<string> {
    const [first] = await this.catalog.findOptions(optionIds.slice(0, 1));
    const name = first?.productName ?? 'order';
    return optionIds.length > 1 ? `${name} 외 ${optionIds.length - 1}건` : name;
  }

  /** Stable per user and revealing nothing of the user id: an HMAC of it under the gateway secret, in Toss's alphabet (at most 50 characters). */
  private customerKeyOf(userId: number): string {
    return `c_${createHmac('sha256', this.settings.PG_SECRET_KEY ?? '').update(`customer:${userId}`).digest('base64url').slice(0, 43)}`;
  }
}
