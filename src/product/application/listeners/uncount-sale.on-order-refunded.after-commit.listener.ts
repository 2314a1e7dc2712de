import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { OrderRefundedEvent } from '../../../order/application/events/order-refunded.event';
import { SALES_RANKING_CONSUMER, SALES_RANKING_RETENTION_DAYS, SalesRanking } from '../sales-ranking';

/** After commit: refunded units leave the sales ranking of the day they were paid, once however often delivered. */
@Injectable()
export class UncountSaleOnOrderRefunded {
  constructor(private readonly ranking: SalesRanking) {}

  @OnOutboxEvent(OrderRefundedEvent, SALES_RANKING_CONSUMER, { retentionDays: SALES_RANKING_RETENTION_DAYS })
  uncount(event: OrderRefundedEvent): Promise<void> {
    return this.ranking.uncount(event);
  }
}
