import { canMove, finalStatuses, movesInto } from '../../common/domain/status-transitions';
import { PAYMENT_TRANSITIONS } from './payment-status';

describe('payment status transitions', () => {
  it('settles a PROCESSING attempt once, COMPLETED or FAILED', () => {
    expect(PAYMENT_TRANSITIONS.PROCESSING).toEqual(['COMPLETED', 'FAILED']);
    expect(movesInto(PAYMENT_TRANSITIONS, 'COMPLETED')).toEqual(['PROCESSING']);
  });

  it('cancels at the gateway only a charge whose attempt FAILED (or whose cancellation an operator replays)', () => {
    expect(movesInto(PAYMENT_TRANSITIONS, 'CANCELLED')).toEqual(['FAILED', 'CANCEL_FAILED']);
    expect(movesInto(PAYMENT_TRANSITIONS, 'CANCEL_FAILED')).toEqual(['FAILED']);
  });

  it('never takes back a COMPLETED payment (a refund is its own record)', () => {
    expect(canMove(PAYMENT_TRANSITIONS, 'COMPLETED', 'CANCELLED')).toBe(false);
    expect(finalStatuses(PAYMENT_TRANSITIONS)).toEqual(['COMPLETED', 'CANCELLED']);
  });
});
