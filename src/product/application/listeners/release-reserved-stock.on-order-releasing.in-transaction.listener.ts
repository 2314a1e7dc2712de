import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderReleasingEvent } from '../../../order/application/events/order-releasing.event';
import { perOptionInLockOrder } from '../../domain/stock';
import { StockStore } from '../ports/stock-store.port';

/**
 * In the transaction that cancels or expires orders: what they reserved is released, one update
 * per option for the whole batch. A release that does not fit means the books are already
 * wrong: it fails the transaction rather than hide that.
 */
@Injectable()
export class ReleaseReservedStockOnOrderReleasing {
  constructor(private readonly stock: StockStore) {}

  @OnSyncEvent(OrderReleasingEvent, 'product.release-reserved-stock')
  async release(event: OrderReleasingEvent): Promise<void> {
    for (const { productOptionId, quantity } of perOptionInLockOrder(event.orders.flatMap((o) => o.items))) {
      if (!(await this.stock.release(productOptionId, quantity))) {
        throw new Error(`cannot release ${quantity} of option ${productOptionId}: less is reserved (orders ${event.orders.map((o) => o.orderId).join(',')})`);
      }
    }
  }
}
