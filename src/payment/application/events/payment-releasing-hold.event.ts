import { SyncEvent } from '../../../common/events/sync-event.decorator';
import { PaymentFlowEvent } from './payment-flow.event';

/** In the transaction that ends a gateway payment without a charge: what payment.holding held is released. */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['coupon.release-hold'] })
export class PaymentReleasingHoldEvent extends PaymentFlowEvent {
  static readonly NAME = 'payment.releasing-hold';
}
