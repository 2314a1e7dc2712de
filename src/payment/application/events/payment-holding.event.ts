import { SyncEvent } from '../../../common/events/sync-event.decorator';
import { PaymentStepEvent } from './payment-flow.event';

/**
 * In the first transaction of a gateway payment: the order goes to the gateway, so its coupon is
 * held for it (another order naming the coupon is refused) until the payment ends.
 */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['coupon.hold-coupon'] })
export class PaymentHoldingEvent extends PaymentStepEvent {
  static readonly NAME = 'payment.holding';
}
