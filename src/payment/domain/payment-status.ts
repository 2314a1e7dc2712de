import { Transitions } from '../../common/domain/status-transitions';
import type { PaymentStatus } from './payment';

/** How a payment attempt's status may change; the payment repository's guards implement exactly this. */
export const PAYMENT_TRANSITIONS: Transitions<PaymentStatus> = {
  // A balance payment is born COMPLETED; a gateway attempt is born PROCESSING and settles by the
  // gateway's word, a virtual account's once its account is issued and then paid into.
  PROCESSING: ['AWAITING_DEPOSIT', 'COMPLETED', 'FAILED'],
  // Deposited; or closed at the gateway first: by the customer (CANCELLED), or unpaid by its due date (FAILED).
  AWAITING_DEPOSIT: ['COMPLETED', 'FAILED', 'CANCELLED'],
  COMPLETED: [],
  // A charge that must not stand (a late approval, a completion refused) is cancelled at the gateway.
  FAILED: ['CANCELLED', 'CANCEL_FAILED'],
  // An operator's replay of the cancellation may still land.
  CANCEL_FAILED: ['CANCELLED'],
  CANCELLED: [],
};
