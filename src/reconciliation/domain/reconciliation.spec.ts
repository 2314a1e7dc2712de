import { GatewayLine, previousSeoulDay, reconcile, ReconciliationInput, seoulHour, ShopCharge } from './reconciliation';

const FROM = new Date('2026-12-01T15:00:00Z');
const TO = new Date('2026-12-02T15:00:00Z');
const AT = new Date('2026-12-02T01:00:00Z');

const approval = (paymentKey: string, amount: number, at = AT): GatewayLine => ({ transactionKey: `A-${paymentKey}`, paymentKey, status: 'DONE', transactionAt: at, amount });
const cancel = (paymentKey: string, key: string, amount: number, status = 'PARTIAL_CANCELED'): GatewayLine => ({ transactionKey: key, paymentKey, status, transactionAt: AT, amount });
const charge = (paymentKey: string, amount: number, over: Partial<ShopCharge> = {}): ShopCharge => ({
  paymentId: 1,
  orderId: 7,
  paymentKey,
  amount,
  status: 'COMPLETED',
  beingCancelled: false,
  completedAt: AT,
  ...over,
});
const input = (over: Partial<ReconciliationInput>): ReconciliationInput => ({ from: FROM, to: TO, gateway: [], charges: [], cancels: [], standing: new Map(), ...over });

describe('reconciliation against the gateway transaction list', () => {
  it('matches approvals by paymentKey and cancels by transactionKey, amounts equal, and adds them up', () => {
    const matching = reconcile(
      input({ gateway: [approval('pk', 10_000), cancel('pk', 'C1', 3_000)], charges: [charge('pk', 10_000)], cancels: [{ transactionKey: 'C1', amount: 3_000, orderId: 7 }] }),
    );
    expect(matching).toEqual({ gatewayTransactions: 2, matched: 2, matchedAmount: 13_000, mismatches: [] });
  });

  it('counts only the window, and matches a record across its edge', () => {
    const matching = reconcile(input({ gateway: [approval('pk', 10_000, new Date(TO.getTime() + 1_000))], charges: [charge('pk', 10_000, { completedAt: new Date(TO.getTime() - 1) })] }));
    expect(matching).toEqual({ gatewayTransactions: 0, matched: 0, matchedAmount: 0, mismatches: [] });
  });

  it('CHARGE_WITHOUT_PAYMENT: an approval standing that no COMPLETED payment holds', () => {
    const matching = reconcile(input({ gateway: [approval('pk', 5_000)], charges: [charge('pk', 5_000, { status: 'FAILED', completedAt: null })] }));
    expect(matching.mismatches).toEqual([{ kind: 'CHARGE_WITHOUT_PAYMENT', paymentKey: 'pk', transactionKey: 'A-pk', orderId: 7, gatewayAmount: 5_000, shopAmount: null }]);
  });

  it('a charge nobody in the shop holds at all: CHARGE_WITHOUT_PAYMENT without an order', () => {
    expect(reconcile(input({ gateway: [approval('ghost', 1_000)] })).mismatches).toEqual([
      { kind: 'CHARGE_WITHOUT_PAYMENT', paymentKey: 'ghost', transactionKey: 'A-ghost', orderId: null, gatewayAmount: 1_000, shopAmount: null },
    ]);
  });

  it.each([
    ['being cancelled by the shop', { charges: [charge('pk', 5_000, { status: 'FAILED', beingCancelled: true })] }],
    ['still with the reconciler (PROCESSING)', { charges: [charge('pk', 5_000, { status: 'PROCESSING', completedAt: null })] }],
    ['a deposit into an account still AWAITING_DEPOSIT', { charges: [charge('pk', 5_000, { status: 'AWAITING_DEPOSIT', completedAt: null })] }],
    ['cancelled whole since', { standing: new Map([['pk', 0]]) }],
  ])('an approval no payment holds is matched when %s', (_, over) => {
    expect(reconcile(input({ gateway: [approval('pk', 5_000)], ...over })).mismatches).toEqual([]);
  });

  it('CANCEL_WITHOUT_REFUND: a cancel no refund or cancellation of the shop explains', () => {
    const matching = reconcile(input({ gateway: [cancel('pk', 'C9', 2_000)], charges: [charge('pk', 10_000, { completedAt: null })] }));
    expect(matching.mismatches).toEqual([{ kind: 'CANCEL_WITHOUT_REFUND', paymentKey: 'pk', transactionKey: 'C9', orderId: 7, gatewayAmount: 2_000, shopAmount: null }]);
  });

  it('PAYMENT_WITHOUT_CHARGE: a COMPLETED gateway payment of the window with no approval at the gateway', () => {
    expect(reconcile(input({ charges: [charge('pk', 4_000)] })).mismatches).toEqual([
      { kind: 'PAYMENT_WITHOUT_CHARGE', paymentKey: 'pk', transactionKey: null, orderId: 7, gatewayAmount: null, shopAmount: 4_000 },
    ]);
  });

  it('AMOUNT_MISMATCH: an approval or a cancel for another amount than the shop recorded', () => {
    const matching = reconcile(
      input({ gateway: [approval('pk', 9_000), cancel('pk', 'C1', 1_000)], charges: [charge('pk', 10_000)], cancels: [{ transactionKey: 'C1', amount: 2_000, orderId: 7 }] }),
    );
    expect(matching.mismatches.map((m) => [m.kind, m.gatewayAmount, m.shopAmount])).toEqual([
      ['AMOUNT_MISMATCH', 9_000, 10_000],
      ['AMOUNT_MISMATCH', 1_000, 2_000],
    ]);
    expect(matching.matched).toBe(0);
  });

  it('the previous day in Asia/Seoul, whatever the time zone of the machine', () => {
    expect(previousSeoulDay(new Date('2026-12-02T20:30:00Z'))).toEqual({ from: new Date('2026-12-01T15:00:00Z'), to: new Date('2026-12-02T15:00:00Z'), day: '2026-12-02' });
    expect(previousSeoulDay(new Date('2026-12-02T10:00:00Z')).day).toBe('2026-12-01');
    expect(seoulHour(new Date('2026-12-02T19:00:00Z'))).toBe(4);
  });
});
