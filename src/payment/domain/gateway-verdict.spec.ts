import type { GatewayPayment } from './gateway-answers';
import { verdictOfConfirm, verdictOfLookup } from './gateway-verdict';

const payment = (status: string, over: Partial<GatewayPayment> = {}): GatewayPayment => ({
  paymentKey: 'pk-1',
  orderId: 'order-1',
  status,
  totalAmount: 1000,
  balanceAmount: status === 'PARTIAL_CANCELED' ? 400 : 1000,
  approvalNumber: status === 'DONE' || status === 'PARTIAL_CANCELED' ? '00012345' : null,
  ...over,
});

describe('the gateway verdict on one attempt', () => {
  describe('from a lookup by the attempt', () => {
    // Every status of the Toss v1 Payment object.
    it.each([
      ['DONE', { kind: 'CHARGED', approvalNumber: '00012345' }],
      ['PARTIAL_CANCELED', { kind: 'CHARGED', approvalNumber: '00012345' }],
      ['CANCELED', { kind: 'NOT_CHARGED', failureCode: 'CANCELED', watch: true }],
      ['ABORTED', { kind: 'NOT_CHARGED', failureCode: 'ABORTED', watch: true }],
      ['EXPIRED', { kind: 'NOT_CHARGED', failureCode: 'EXPIRED', watch: true }],
      ['READY', { kind: 'UNDECIDED' }],
      ['IN_PROGRESS', { kind: 'UNDECIDED' }],
      ['WAITING_FOR_DEPOSIT', { kind: 'UNDECIDED' }],
      ['A_STATUS_NOT_DOCUMENTED_YET', { kind: 'UNDECIDED' }],
    ])('%s', (status, verdict) => {
      expect(verdictOfLookup({ kind: 'FOUND', payment: payment(status) }, 'pk-1')).toEqual(verdict);
    });

    it('no payment at all: nothing was charged, and the attempt stays watched for a late approval', () => {
      expect(verdictOfLookup({ kind: 'NOT_FOUND' }, 'pk-1')).toEqual({ kind: 'NOT_CHARGED', failureCode: 'NOT_FOUND_PAYMENT', watch: true });
    });

    it("another attempt's payment (another paymentKey) says nothing charged this one, even DONE", () => {
      expect(verdictOfLookup({ kind: 'FOUND', payment: payment('DONE', { paymentKey: 'pk-2' }) }, 'pk-1')).toEqual({
        kind: 'NOT_CHARGED',
        failureCode: 'NOT_FOUND_PAYMENT',
        watch: true,
      });
    });

    it('no answer: undecided', () => {
      expect(verdictOfLookup({ kind: 'UNKNOWN', reason: 'timeout' }, 'pk-1')).toEqual({ kind: 'UNDECIDED' });
    });
  });

  describe('from the confirm', () => {
    it('approved: charged, with the card approval number', () => {
      expect(verdictOfConfirm({ kind: 'APPROVED', payment: payment('DONE') })).toEqual({ kind: 'CHARGED', approvalNumber: '00012345' });
    });

    it("declined: nothing charged, the gateway's code kept, not watched (the gateway said no)", () => {
      expect(verdictOfConfirm({ kind: 'DECLINED', code: 'REJECT_CARD_PAYMENT', message: 'limit exceeded' })).toEqual({
        kind: 'NOT_CHARGED',
        failureCode: 'REJECT_CARD_PAYMENT',
        watch: false,
        declined: { message: 'limit exceeded' },
      });
    });

    it('never delivered (connection refused): nothing can have been charged', () => {
      expect(verdictOfConfirm({ kind: 'UNREACHABLE', reason: 'ECONNREFUSED' })).toEqual({ kind: 'NOT_CHARGED', failureCode: 'GATEWAY_UNREACHABLE', watch: false });
    });

    it('timeout, 5xx, lost answer: only a lookup can tell', () => {
      expect(verdictOfConfirm({ kind: 'UNKNOWN', reason: 'no answer within 10000 ms' })).toEqual({ kind: 'LOOK_UP' });
    });
  });
});
