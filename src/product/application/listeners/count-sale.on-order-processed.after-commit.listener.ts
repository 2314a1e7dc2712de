import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { OrderProcessedEvent } from '../../../order/application/events/order-processed.event';
import { SALES_RANKING_CONSUMER, SALES_RANKING_RETENTION_DAYS, SalesRanking } from '../sales-ranking';

/** After commit: a paid order's quantities enter the sales ranking of its shop day, once however often delivered. */
@Injectable()
export class CountSaleOnOrderProcessed {
  constructor(private readonly ranking: SalesRanking) {}

  @OnOutboxEvent(OrderProcessedEvent, SALES_RANKING_CONSUMER, { retentionDays: SALES_RANKING_RETENTION_DAYS })
  count(event: OrderProcessedEvent): Promise<void> {
    return this.ranking.count(event);
  }
}
