import { Injectable } from '@nestjs/common';
import { OnSyncEvent } from '../../../common/events/on-sync-event.decorator';
import { OrderProcessingEvent } from '../../../payment/application/events/order-processing.event';
import { inStatement } from '../../../payment/application/events/payment-flow.event';
import { InsufficientStockError } from '../../domain/product.errors';
import { perOptionInLockOrder, StockChange } from '../../domain/stock';
import { ProductMetrics } from '../../product.metrics';
import { StockStore } from '../ports/stock-store.port';

/**
 * In the payment's transaction, or as its part of the payment's one statement: the order's reserved
 * units become sold units (on hand and reserved both drop).
 */
@Injectable()
export class SellReservedStockOnOrderProcessing {
  constructor(
    private readonly stock: StockStore,
    private readonly metrics: ProductMetrics,
  ) {}

  @OnSyncEvent(OrderProcessingEvent, 'product.sell-reserved-stock')
  async sell(event: OrderProcessingEvent): Promise<void> {
    // The row locks are where concurrent payments of one hot option queue: the wait is the point.
    const end = this.metrics.stockConfirmation.startTimer();
    const { order } = event;
    if (inStatement(order)) {
      this.stock.sellPart(order.statement, order.linesPart);
      order.statement.afterCommit(() => end({ result: 'confirmed' }));
      return;
    }
    try {
      await this.sellInLockOrder(order.items);
      end({ result: 'confirmed' });
    } catch (error) {
      end({ result: error instanceof InsufficientStockError ? 'insufficient' : 'error' });
      throw error;
    }
  }

  private async sellInLockOrder(items: StockChange[]): Promise<void> {
    const changes = perOptionInLockOrder(items);
    // One option needs no ordering: its UPDATE takes the only lock.
    if (changes.length > 1) await this.stock.lockInOrder(changes.map((c) => c.productOptionId));
    for (const { productOptionId, quantity } of changes) {
      if (!(await this.stock.sell(productOptionId, quantity))) throw new InsufficientStockError(productOptionId);
    }
  }
}
