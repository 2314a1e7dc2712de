import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { OrderProcessedEvent } from '../../../order/application/events/order-processed.event';
import { OrderRefundedEvent } from '../../../order/application/events/order-refunded.event';
import { SALES_RANKING_CONSUMER, SALES_RANKING_RETENTION_DAYS, SalesRanking } from '../sales-ranking';

/** After commit: paid quantities enter the sales ranking and refunded ones leave it, once however often delivered. */
@Injectable()
export class CountSaleListener {
  constructor(private readonly ranking: SalesRanking) {}

  @OnOutboxEvent(OrderProcessedEvent, SALES_RANKING_CONSUMER, { retentionDays: SALES_RANKING_RETENTION_DAYS })
  onPaid(event: OrderProcessedEvent): Promise<void> {
    return this.ranking.count(event);
  }

  @OnOutboxEvent(OrderRefundedEvent, SALES_RANKING_CONSUMER, { retentionDays: SALES_RANKING_RETENTION_DAYS })
  onRefunded(event: OrderRefundedEvent): Promise<void> {
    return this.ranking.uncount(event);
  }
}
