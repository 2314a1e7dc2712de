import { SyncEvent } from '../../../common/events/sync-event.decorator';
import { PaymentFlowEvent } from './payment-flow.event';
import type { PaymentFlowOrder } from './payment-flow.event';

/** After the balance payment rolled back in its processing step: undo what Postgres could not roll back. */
@SyncEvent({ delivery: 'after-rollback', answeredBy: ['coupon.release-claim'] })
export class OrderProcessingFailEvent extends PaymentFlowEvent {
  static readonly NAME = 'order.processing.fail';
  constructor(
    source: PaymentFlowOrder,
    /** The code the client was answered with. */
    readonly reason: string,
  ) {
    super(source);
  }
}
