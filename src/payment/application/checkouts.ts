import { Injectable } from '@nestjs/common';
import { gatewayOrderId } from '../domain/gateway-order-id';
import { UnknownCheckoutError } from '../domain/payment.errors';
import { CheckoutStore } from './ports/checkout-store.port';

/** Which gateway order id a payment of an order is confirmed with (API.md "Checkouts, and the gateway's order id"). */
@Injectable()
export class Checkouts {
  constructor(private readonly checkouts: CheckoutStore) {}

  /**
   * The one the request names, which must have been issued for this order (400 UNKNOWN_CHECKOUT);
   * else the order's latest checkout's; else `order-N`, the form before checkouts existed.
   */
  async gatewayOrderIdFor(orderId: number, named?: string): Promise<string> {
    if (named !== undefined) {
      if (!(await this.checkouts.find(orderId, named))) throw new UnknownCheckoutError();
      return named;
    }
    return (await this.checkouts.latestOf(orderId))?.gatewayOrderId ?? gatewayOrderId(orderId);
  }
}
