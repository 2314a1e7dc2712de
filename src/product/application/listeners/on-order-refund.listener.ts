import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/sync-listener.decorator';
import { OrderRefundEvent } from '../../../payment/application/events/order-refund.event';
import { perOptionInLockOrder } from '../../domain/stock';
import { StockRepository } from '../../infrastructure/stock.repository';

/** In the refund's transaction: with `restock`, the refunded units are back on hand. */
@Injectable()
export class OnOrderRefundRestockListener {
  constructor(private readonly stock: StockRepository) {}

  @OnSyncEvent(OrderRefundEvent.NAME)
  async restock(event: OrderRefundEvent): Promise<void> {
    if (!event.restock) return;
    for (const { productOptionId, quantity } of perOptionInLockOrder(event.items)) await this.stock.restock(productOptionId, quantity);
  }
}
