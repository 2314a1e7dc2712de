import { canMove, finalStatuses, movesInto } from '../../common/domain/status-transitions';
import { ORDER_TRANSITIONS, REFUNDABLE_STATUSES } from './order-status';

describe('order status transitions', () => {
  it('pays a PENDING order only, straight from the balance or through PAYING', () => {
    expect(movesInto(ORDER_TRANSITIONS, 'PAID')).toEqual(['PENDING', 'PAYING', 'AWAITING_DEPOSIT']);
    expect(movesInto(ORDER_TRANSITIONS, 'PAYING')).toEqual(['PENDING']);
  });

  it('gives a PAYING order back to PENDING (nothing charged) but never cancels or expires it', () => {
    expect(canMove(ORDER_TRANSITIONS, 'PAYING', 'PENDING')).toBe(true);
    expect(canMove(ORDER_TRANSITIONS, 'PAYING', 'CANCELLED')).toBe(false);
    expect(canMove(ORDER_TRANSITIONS, 'PAYING', 'EXPIRED')).toBe(false);
  });

  it('cancels and expires PENDING orders, and AWAITING_DEPOSIT ones (once their account is closed at the gateway)', () => {
    expect(movesInto(ORDER_TRANSITIONS, 'CANCELLED')).toEqual(['PENDING', 'AWAITING_DEPOSIT']);
    expect(movesInto(ORDER_TRANSITIONS, 'EXPIRED')).toEqual(['PENDING', 'AWAITING_DEPOSIT']);
    expect(ORDER_TRANSITIONS.PAYING).toEqual(['PAID', 'PENDING', 'AWAITING_DEPOSIT']);
  });

  it('refunds only what was paid, partially as often as units are left', () => {
    expect(movesInto(ORDER_TRANSITIONS, 'REFUNDED')).toEqual([...REFUNDABLE_STATUSES]);
    expect(movesInto(ORDER_TRANSITIONS, 'PARTIALLY_REFUNDED')).toEqual([...REFUNDABLE_STATUSES]);
  });

  it('ends in REFUNDED, CANCELLED or EXPIRED, never to leave them', () => {
    expect(finalStatuses(ORDER_TRANSITIONS)).toEqual(['REFUNDED', 'CANCELLED', 'EXPIRED']);
  });
});
