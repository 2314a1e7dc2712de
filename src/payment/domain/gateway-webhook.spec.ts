import { readWebhook } from './gateway-webhook';

describe('reading a gateway webhook', () => {
  it('PAYMENT_STATUS_CHANGED: the payment it is about', () => {
    expect(readWebhook({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2026-12-02T10:00:00.000000', data: { paymentKey: 'pk', orderId: 'order-1-2', status: 'DONE' } })).toEqual({
      ok: true,
      webhook: { kind: 'PAYMENT_STATUS_CHANGED', paymentKey: 'pk', gatewayOrderId: 'order-1-2', status: 'DONE' },
    });
  });

  it('the deposit callback has no eventType: the gateway order id, the secret to check', () => {
    expect(readWebhook({ createdAt: '2026-12-02T10:00:00.000', secret: 'ps_x', status: 'DONE', transactionKey: 'T1', orderId: 'order-1-2' })).toEqual({
      ok: true,
      webhook: { kind: 'DEPOSIT_CALLBACK', gatewayOrderId: 'order-1-2', secret: 'ps_x', status: 'DONE', transactionKey: 'T1' },
    });
  });

  it.each([
    ['not an object', 'DONE'],
    ['an array', [1]],
    ['null', null],
    ['an unknown eventType', { eventType: 'BILLING_DELETED', data: {} }],
    ['no data', { eventType: 'PAYMENT_STATUS_CHANGED' }],
    ['data naming no payment', { eventType: 'PAYMENT_STATUS_CHANGED', data: { status: 'DONE' } }],
    ['a callback without orderId', { secret: 's', status: 'DONE' }],
    ['an orderId that is not text', { secret: 's', status: 'DONE', orderId: 42 }],
  ])('refuses %s', (_, body) => {
    expect(readWebhook(body)).toMatchObject({ ok: false });
  });
});
