import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
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

  /** `gatewayOrderIdFor` as SQL in one statement (OneStatement): a named checkout not the order's fails its check. */
  gatewayOrderIdPart(statement: OneStatement, orderId: number, named?: string): string {
    if (named !== undefined) return this.checkouts.namedPart(statement, orderId, named);
    return `COALESCE(${this.checkouts.latestPart(statement, orderId)}, ${statement.param(gatewayOrderId(orderId), 'varchar')})`;
  }
}
