import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderPlacingEvent } from '../../../order/application/events/order-placing.event';
import { InsufficientStockError } from '../../domain/product.errors';
import { perOptionInLockOrder } from '../../domain/stock';
import { StockStore } from '../ports/stock-store.port';

/** In the new order's transaction: its items are reserved; a shortage rolls the order back. */
@Injectable()
export class ReserveStockOnOrderPlacing {
  constructor(private readonly stock: StockStore) {}

  @OnSyncEvent(OrderPlacingEvent, 'product.reserve-stock')
  async reserve(event: OrderPlacingEvent): Promise<void> {
    for (const { productOptionId, quantity } of perOptionInLockOrder(event.items)) {
      if (!(await this.stock.reserve(productOptionId, quantity))) throw new InsufficientStockError(productOptionId);
    }
  }
}
