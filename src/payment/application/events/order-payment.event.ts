import { SyncEvent } from '../../../common/events/sync-event.decorator';
import { PaymentStepEvent } from './payment-flow.event';

/** In the balance payment's transaction: the amount is taken from the balance. */
@SyncEvent({ delivery: 'in-transaction', answeredBy: ['user.deduct-balance'] })
export class OrderPaymentEvent extends PaymentStepEvent {
  static readonly NAME = 'order.payment';
}
