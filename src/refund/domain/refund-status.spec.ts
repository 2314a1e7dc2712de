import { finalStatuses, movesInto } from '../../common/domain/status-transitions';
import { REFUND_TRANSITIONS } from './refund-status';

describe('refund status transitions', () => {
  it('ends a PROCESSING refund once: COMPLETED when the money is back, CANCEL_FAILED when the gateway never gave it back', () => {
    expect(movesInto(REFUND_TRANSITIONS, 'COMPLETED')).toEqual(['PROCESSING']);
    expect(movesInto(REFUND_TRANSITIONS, 'CANCEL_FAILED')).toEqual(['PROCESSING']);
  });

  it('never reopens an ended refund: a CANCEL_FAILED one released its units, which a new refund may take', () => {
    expect(finalStatuses(REFUND_TRANSITIONS)).toEqual(['COMPLETED', 'CANCEL_FAILED']);
  });
});
