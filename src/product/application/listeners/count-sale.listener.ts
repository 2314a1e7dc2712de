import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { SalesRanking } from '../sales-ranking';
import type { PaidOrderEvent } from '../sales-ranking';

/** After commit: a paid order's quantities enter the sales ranking, once however often delivered. */
@Injectable()
export class CountSaleListener {
  constructor(private readonly ranking: SalesRanking) {}

  @OnOutboxEvent('order.processed', 'sales-ranking')
  onPaid(event: PaidOrderEvent): Promise<void> {
    return this.ranking.count(event);
  }
}
