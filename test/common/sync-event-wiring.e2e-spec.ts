import { EventEmitter2 } from '@nestjs/event-emitter';
import { UseCouponOnOrderProcessing } from '../../src/coupon/application/listeners/use-coupon.on-order-processing.in-transaction.listener';
import { OrderProcessingEvent } from '../../src/payment/application/events/order-processing.event';
import { SellReservedStockOnOrderProcessing } from '../../src/product/application/listeners/sell-reserved-stock.on-order-processing.in-transaction.listener';
import { shop } from '../support/shop';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * An in-process event declares the listeners that must answer it. Without one of them the
 * service does not start, and should one go missing at run time, a payment fails instead of
 * committing without it (a paid order whose coupon was never used).
 */
describe('in-process events are answered by the listeners they declare (e2e)', () => {
  it('start-up fails, naming the event and the listener, when a declared listener is not registered', async () => {
    const started = createTestApp({
      env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' },
      override: (b) => b.overrideProvider(UseCouponOnOrderProcessing).useValue({}),
    });
    await expect(started).rejects.toThrow('order.processing needs listener coupon.use-coupon, which is not registered');
  });

  describe('at run time', () => {
    let t: TestApp;
    let s: ReturnType<typeof shop>;

    beforeAll(async () => {
      t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' } });
      s = shop(t);
    });
    afterAll(() => t.close());

    it('a payment whose coupon listener is gone fails and changes nothing, instead of committing with the coupon unused', async () => {
      const p = await s.product(10_000, [5]);
      await s.charge(1, 10_000);
      const userCouponId = await s.issue(1, (await s.coupon({ discountType: 'FIXED', discountValue: 1_000 })).id);
      const order = (await s.order(1, [{ productOptionId: p.options[0].id, quantity: 1 }], userCouponId).expect(201)).body;
      const before = await s.state(1, order.id);

      // Only the stock listener is left on order.processing.
      const emitter = t.app.get(EventEmitter2);
      const stock = t.app.get(SellReservedStockOnOrderProcessing);
      const removed = emitter.listeners(OrderProcessingEvent.NAME);
      emitter.removeAllListeners(OrderProcessingEvent.NAME);
      emitter.on(OrderProcessingEvent.NAME, (event: OrderProcessingEvent) => stock.sell(event), { promisify: true });
      try {
        const res = await s.pay(1, order.id).expect(500);
        expect(res.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: expect.any(String) });
      } finally {
        emitter.removeAllListeners(OrderProcessingEvent.NAME);
        for (const listener of removed) emitter.on(OrderProcessingEvent.NAME, listener as (...args: unknown[]) => unknown, { promisify: true });
      }

      expect(await s.state(1, order.id)).toEqual(before);
      expect(before).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE', balance: 10_000 });
      // With every listener back, the same order pays, and uses its coupon.
      await s.pay(1, order.id).expect(201);
      expect(await s.state(1, order.id)).toMatchObject({ order: { status: 'PAID' }, coupon: 'USED', balance: 1_000 });
    });
  });
});
