import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderPlacingEvent } from '../../../order/application/events/order-placing.event';
import { InsufficientStockError } from '../../domain/product.errors';
import { perOptionInLockOrder } from '../../domain/stock';
import { StockRepository } from '../../infrastructure/stock.repository';

/** Reserves a new order's items inside its transaction; a shortage rolls the order back. */
@Injectable()
export class OnOrderPlacingListener {
  constructor(private readonly stock: StockRepository) {}

  @OnSyncEvent(OrderPlacingEvent.NAME)
  async reserve(event: OrderPlacingEvent): Promise<void> {
    for (const { productOptionId, quantity } of perOptionInLockOrder(event.items)) {
      if (!(await this.stock.reserve(productOptionId, quantity))) throw new InsufficientStockError(productOptionId);
    }
  }
}
