import { canMove, finalStatuses, movesInto } from '../../common/domain/status-transitions';
import { PAYMENT_TRANSITIONS } from './payment-status';

describe('payment status transitions', () => {
  it('settles a PROCESSING attempt once, COMPLETED, FAILED, or waiting for its deposit', () => {
    expect(PAYMENT_TRANSITIONS.PROCESSING).toEqual(['AWAITING_DEPOSIT', 'COMPLETED', 'FAILED']);
    expect(movesInto(PAYMENT_TRANSITIONS, 'COMPLETED')).toEqual(['PROCESSING', 'AWAITING_DEPOSIT']);
  });

  it('a virtual account is paid into, or closed at the gateway: by the customer (CANCELLED) or by its due date (FAILED)', () => {
    expect(PAYMENT_TRANSITIONS.AWAITING_DEPOSIT).toEqual(['COMPLETED', 'FAILED', 'CANCELLED']);
    expect(movesInto(PAYMENT_TRANSITIONS, 'AWAITING_DEPOSIT')).toEqual(['PROCESSING']);
  });

  it('cancels at the gateway only a charge whose attempt FAILED (or whose cancellation an operator replays)', () => {
    expect(movesInto(PAYMENT_TRANSITIONS, 'CANCELLED')).toEqual(['AWAITING_DEPOSIT', 'FAILED', 'CANCEL_FAILED']);
    expect(movesInto(PAYMENT_TRANSITIONS, 'CANCEL_FAILED')).toEqual(['FAILED']);
  });

  it('never takes back a COMPLETED payment (a refund is its own record)', () => {
    expect(canMove(PAYMENT_TRANSITIONS, 'COMPLETED', 'CANCELLED')).toBe(false);
    expect(finalStatuses(PAYMENT_TRANSITIONS)).toEqual(['COMPLETED', 'CANCELLED']);
  });
});
