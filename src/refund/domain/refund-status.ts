import { Transitions } from '../../common/domain/status-transitions';
import type { RefundStatus } from './refund';

/** How a refund's status may change; the refund repository's guards implement exactly this. */
export const REFUND_TRANSITIONS: Transitions<RefundStatus> = {
  // A balance refund completes in the transaction that creates it; a gateway refund when the gateway confirms.
  PROCESSING: ['COMPLETED', 'CANCEL_FAILED'],
  COMPLETED: [],
  CANCEL_FAILED: [],
};
