import { AsyncApiValidator, parseAsyncApi } from '../../test/support/asyncapi';
import { eventLogMessage, SUBJECT_KINDS } from './domain/event-log-message';

const order = {
  eventId: '9b2f4c8e-1d3a-4f5b-8c7d-6e5f4a3b2c1d',
  orderId: 42,
  userId: 7,
  originalAmount: 20_000,
  discountAmount: 2_000,
  finalAmount: 18_000,
  items: [{ productId: 3, productOptionId: 5, quantity: 2, unitPrice: 10_000 }],
  occurredAt: '2026-11-29T10:00:00.000Z',
};
/** One body per event type as API.md describes it (refunds and failed card payments are still to come). */
const EXAMPLES = {
  ORDER_PAID: { ...order, eventType: 'ORDER_PAID', paymentId: 11, paymentMethod: 'BALANCE' },
  ORDER_CANCELLED: { ...order, eventType: 'ORDER_CANCELLED' },
  ORDER_EXPIRED: { ...order, eventType: 'ORDER_EXPIRED' },
  ORDER_REFUNDED: {
    ...order,
    eventType: 'ORDER_REFUNDED',
    refundId: 4,
    refundAmount: 9_000,
    refundItems: [{ productId: 3, productOptionId: 5, quantity: 1, amount: 9_000 }],
    paidAt: order.occurredAt,
  },
  PAYMENT_FAILED: {
    eventId: order.eventId,
    eventType: 'PAYMENT_FAILED',
    orderId: 42,
    userId: 7,
    paymentId: 12,
    paymentMethod: 'CARD',
    amount: 18_000,
    failureCode: 'REJECT_CARD_PAYMENT',
    occurredAt: order.occurredAt,
  },
};

function published(event: { eventId: string; eventType: string; orderId: number }) {
  const message = eventLogMessage(event);
  return { subject: message.subject, headers: { 'Nats-Msg-Id': message.eventId, 'Shop-Event-Type': message.eventType, 'Shop-Schema-Version': '1' }, body: message.body };
}

describe('the event log AsyncAPI document (src/event-log/event-log.asyncapi.json)', () => {
  let validator: AsyncApiValidator;
  beforeAll(async () => {
    validator = await AsyncApiValidator.load();
  });

  it('is a valid AsyncAPI 3 document, without a single finding', async () => {
    const { document, diagnostics } = await parseAsyncApi();
    expect(diagnostics.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(document!.version()).toMatch(/^3\./);
  });

  it('has a channel and a message for every event type the log publishes', async () => {
    const { document } = await parseAsyncApi();
    const channels = document!.channels().all().map((c) => [c.address(), c.messages().all().map((m) => m.name())]);
    expect(channels).toEqual(Object.entries(SUBJECT_KINDS).map(([type, kind]) => [`shop.orders.{orderId}.${kind}`, [type]]));
  });

  it.each(Object.entries(EXAMPLES))('accepts a %s message as the contract describes it', (_, event) => {
    expect(validator.problems(published(event))).toEqual([]);
  });

  it('rejects a message that strays from the contract', () => {
    const paid = published(EXAMPLES.ORDER_PAID);
    const { paymentId: _, ...withoutPayment } = paid.body;
    expect(validator.problems({ ...paid, body: withoutPayment })).toEqual([expect.stringContaining("must have required property 'paymentId'")]);
    expect(validator.problems({ ...paid, body: { ...paid.body, internalNote: 'x' } })).toEqual([expect.stringContaining('must NOT have additional properties')]);
    expect(validator.problems({ ...paid, body: { ...paid.body, schemaVersion: 2 } })).toEqual([expect.stringContaining('/schemaVersion')]);
    expect(validator.problems({ ...paid, headers: { ...paid.headers, 'Shop-Event-Type': 'ORDER_CANCELLED' } })).toEqual([expect.stringContaining('headers/Shop-Event-Type')]);
    expect(validator.problems({ ...paid, subject: 'shop.orders.42.shipped' })).toEqual([expect.stringContaining('no channel')]);
    expect(validator.problems({ ...paid, subject: 'shop.orders.42.cancelled' })).not.toEqual([]);
  });
});
