import { eventLogMessage, SCHEMA_VERSION } from './event-log-message';

const paid = { eventId: '0b7c0d7e-5d7a-4c1e-9d43-1f3a2b6c9e11', eventType: 'ORDER_PAID', orderId: 42, userId: 7, paymentId: 3 };

describe('eventLogMessage', () => {
  it('puts each event type on its own subject under the order', () => {
    const subjects = ['ORDER_PAID', 'ORDER_CANCELLED', 'ORDER_EXPIRED', 'ORDER_REFUNDED', 'PAYMENT_FAILED'].map(
      (eventType) => eventLogMessage({ ...paid, eventType }).subject,
    );
    expect(subjects).toEqual(['shop.orders.42.paid', 'shop.orders.42.cancelled', 'shop.orders.42.expired', 'shop.orders.42.refunded', 'shop.orders.42.payment_failed']);
  });

  it('sends the event as it is, with the schema version, deduplicated by its event id', () => {
    expect(eventLogMessage(paid)).toEqual({
      subject: 'shop.orders.42.paid',
      eventId: paid.eventId,
      eventType: 'ORDER_PAID',
      body: { ...paid, schemaVersion: SCHEMA_VERSION },
    });
    expect(SCHEMA_VERSION).toBe(1);
  });

  it('refuses an event type the contract has no subject for', () => {
    expect(() => eventLogMessage({ ...paid, eventType: 'ORDER_SHIPPED' })).toThrow('ORDER_SHIPPED');
    expect(() => eventLogMessage({ ...paid, eventType: 'toString' })).toThrow('toString');
  });

  it('refuses an order id that is not a positive integer (it would change the subject)', () => {
    for (const orderId of [0, -1, 1.5, Number.NaN, 2 ** 53]) expect(() => eventLogMessage({ ...paid, orderId })).toThrow('order id');
  });
});
