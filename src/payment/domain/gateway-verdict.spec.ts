import type { GatewayPayment } from './gateway-answers';
import { AskedCharge, verdictOfConfirm, verdictOfLookup } from './gateway-verdict';

const ASKED: AskedCharge = { paymentKey: 'pk-1', gatewayOrderId: 'order-1-1', amount: 1000 };

const payment = (status: string, over: Partial<GatewayPayment> = {}): GatewayPayment => ({
  paymentKey: 'pk-1',
  orderId: 'order-1-1',
  status,
  method: '카드',
  currency: 'KRW',
  totalAmount: 1000,
  balanceAmount: status === 'PARTIAL_CANCELED' ? 400 : 1000,
  approvalNumber: status === 'DONE' || status === 'PARTIAL_CANCELED' ? '00012345' : null,
  lastTransactionKey: null,
  cancels: [],
  easyPayProvider: null,
  virtualAccount: null,
  secret: null,
  ...over,
});

describe('the gateway verdict on one attempt', () => {
  describe('from a lookup by its paymentKey', () => {
    // Every status of the Toss v1 Payment object.
    it.each([
      ['DONE', 'CHARGED'],
      ['PARTIAL_CANCELED', 'CHARGED'],
      ['CANCELED', { kind: 'NOT_CHARGED', failureCode: 'CANCELED', watch: true }],
      ['ABORTED', { kind: 'NOT_CHARGED', failureCode: 'ABORTED', watch: true }],
      ['EXPIRED', { kind: 'NOT_CHARGED', failureCode: 'EXPIRED', watch: true }],
      ['READY', { kind: 'UNDECIDED' }],
      ['IN_PROGRESS', { kind: 'UNDECIDED' }],
      ['WAITING_FOR_DEPOSIT', { kind: 'UNDECIDED' }],
      ['WAITING_FOR_DEPOSIT, with its account', 'ISSUED'],
      ['A_STATUS_NOT_DOCUMENTED_YET', { kind: 'UNDECIDED' }],
    ])('%s', (status, verdict) => {
      const account = { accountNumber: '12345678901234', bankCode: '20', customerName: '김토스', dueDate: '2026-12-09T10:00:00+09:00' };
      const found = status.endsWith('with its account') ? payment('WAITING_FOR_DEPOSIT', { method: '가상계좌', virtualAccount: account }) : payment(status);
      const expected = verdict === 'CHARGED' ? { kind: 'CHARGED', payment: found } : verdict === 'ISSUED' ? { kind: 'ISSUED', payment: found } : verdict;
      expect(verdictOfLookup({ kind: 'FOUND', payment: found }, ASKED)).toEqual(expected);
    });

    it('no payment at all: nothing was charged, and the attempt stays watched for a late approval', () => {
      expect(verdictOfLookup({ kind: 'NOT_FOUND' }, ASKED)).toEqual({ kind: 'NOT_CHARGED', failureCode: 'NOT_FOUND_PAYMENT', watch: true });
    });

    it('no answer: undecided', () => {
      expect(verdictOfLookup({ kind: 'UNKNOWN', reason: 'timeout' }, ASKED)).toEqual({ kind: 'UNDECIDED' });
    });

    it.each([
      ['paymentKey', { paymentKey: 'pk-2' }, 'pk-1', 'pk-2'],
      ['orderId', { orderId: 'order-1-2' }, 'order-1-1', 'order-1-2'],
      ['totalAmount', { totalAmount: 999 }, 1000, 999],
      ['currency', { currency: 'USD' }, 'KRW', 'USD'],
      ['currency', { currency: null }, 'KRW', null],
    ] as const)('a charge whose %s is not what was asked must not stand: MISMATCH', (field, over, asked, answered) => {
      const found = payment('DONE', over);
      expect(verdictOfLookup({ kind: 'FOUND', payment: found }, ASKED)).toEqual({ kind: 'MISMATCH', payment: found, mismatch: { field, asked, answered } });
    });

    it('a payment that charged nothing needs no check: a mismatched ABORTED one is simply not charged', () => {
      expect(verdictOfLookup({ kind: 'FOUND', payment: payment('ABORTED', { totalAmount: 5 }) }, ASKED)).toMatchObject({ kind: 'NOT_CHARGED' });
    });
  });

  describe('from the confirm', () => {
    it('approved as asked: charged', () => {
      const approved = payment('DONE');
      expect(verdictOfConfirm({ kind: 'APPROVED', payment: approved }, ASKED)).toEqual({ kind: 'CHARGED', payment: approved });
    });

    it('approved for another amount: MISMATCH', () => {
      const approved = payment('DONE', { totalAmount: 10 });
      expect(verdictOfConfirm({ kind: 'APPROVED', payment: approved }, ASKED)).toEqual({
        kind: 'MISMATCH',
        payment: approved,
        mismatch: { field: 'totalAmount', asked: 1000, answered: 10 },
      });
    });

    it("declined: nothing charged, the gateway's code kept, not watched (the gateway said no)", () => {
      expect(verdictOfConfirm({ kind: 'DECLINED', code: 'REJECT_CARD_PAYMENT', message: 'limit exceeded' }, ASKED)).toEqual({
        kind: 'NOT_CHARGED',
        failureCode: 'REJECT_CARD_PAYMENT',
        watch: false,
        declined: { message: 'limit exceeded' },
      });
    });

    it('never delivered (connection refused): nothing can have been charged', () => {
      expect(verdictOfConfirm({ kind: 'UNREACHABLE', reason: 'ECONNREFUSED' }, ASKED)).toEqual({ kind: 'NOT_CHARGED', failureCode: 'GATEWAY_UNREACHABLE', watch: false });
    });

    it('timeout, 5xx, lost answer: only a lookup can tell', () => {
      expect(verdictOfConfirm({ kind: 'UNKNOWN', reason: 'no answer within 10000 ms' }, ASKED)).toEqual({ kind: 'LOOK_UP' });
    });
  });
});
