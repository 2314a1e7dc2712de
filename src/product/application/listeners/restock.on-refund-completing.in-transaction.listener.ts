import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { RefundCompletingEvent } from '../../../refund/application/events/refund-completing.event';
import { perOptionInLockOrder } from '../../domain/stock';
import { StockStore } from '../ports/stock-store.port';

/** In the refund's transaction: with `restock`, the refunded units are back on hand. */
@Injectable()
export class RestockOnRefundCompleting {
  constructor(private readonly stock: StockStore) {}

  @OnSyncEvent(RefundCompletingEvent, 'product.restock')
  async restock(event: RefundCompletingEvent): Promise<void> {
    if (!event.restock) return;
    for (const { productOptionId, quantity } of perOptionInLockOrder(event.items)) await this.stock.restock(productOptionId, quantity);
  }
}
