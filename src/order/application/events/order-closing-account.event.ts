import { InProcessEvent } from '../../../common/events/in-process-event';
import { SyncEvent } from '../../../common/events/sync-event.decorator';

/**
 * Outside any transaction: the customer cancels an order waiting for its virtual account's
 * deposit, so the payment module closes that account at the gateway, and only once the gateway
 * confirms releases the order (CANCELLED). A deposit that arrived meanwhile pays the order
 * instead. The listener throws when the gateway cannot be asked: then nothing changed.
 */
@SyncEvent({ delivery: 'outside-transaction', answeredBy: ['payment.close-virtual-account'] })
export class OrderClosingAccountEvent extends InProcessEvent {
  static readonly NAME = 'order.closing-account';
  constructor(readonly orderId: number) {
    super();
  }
}
