import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderProcessingEvent } from '../../../payment/application/events/order-processing.event';
import { InsufficientStockError } from '../../domain/product.errors';
import { perOptionInLockOrder } from '../../domain/stock';
import { StockStore } from '../ports/stock-store.port';

/** In the payment's transaction: the order's reserved units become sold units (on hand and reserved both drop). */
@Injectable()
export class SellReservedStockOnOrderProcessing {
  constructor(private readonly stock: StockStore) {}

  @OnSyncEvent(OrderProcessingEvent, 'product.sell-reserved-stock')
  async sell(event: OrderProcessingEvent): Promise<void> {
    const changes = perOptionInLockOrder(event.items);
    // One option needs no ordering: its UPDATE takes the only lock.
    if (changes.length > 1) await this.stock.lockInOrder(changes.map((c) => c.productOptionId));
    for (const { productOptionId, quantity } of changes) {
      if (!(await this.stock.sell(productOptionId, quantity))) throw new InsufficientStockError(productOptionId);
    }
  }
}
