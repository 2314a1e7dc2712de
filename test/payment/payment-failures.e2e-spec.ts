import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '../../src/common/events/outbox/outbox.writer';
import { CouponStore } from '../../src/coupon/application/ports/coupon-store.port';
import { CouponRepository } from '../../src/coupon/infrastructure/coupon.repository';
import { OrderProcessedEvent } from '../../src/order/application/events/order-processed.event';
import { PaymentLock } from '../../src/payment/application/ports/payment-lock.port';
import { PaymentStore } from '../../src/payment/application/ports/payment-store.port';
import { PaymentRepository } from '../../src/payment/infrastructure/payment.repository';
import { StockStore } from '../../src/product/application/ports/stock-store.port';
import { StockRepository } from '../../src/product/infrastructure/stock.repository';
import { BalanceStore } from '../../src/user/application/ports/balance-store.port';
import { BalanceRepository } from '../../src/user/infrastructure/balance.repository';
import { concurrently, countBy } from '../support/http';
import { shop } from '../support/shop';
import { createTestApp, TestApp } from '../support/test-app';

/** Which step fails next; the overrides below consult it. */
const faults = new Set<string>();
const fail = (step: string) => {
  if (faults.has(step)) throw new Error(`injected failure in ${step}`);
};

@Injectable()
class FaultyStock extends StockRepository {
  override async sell(optionId: number, quantity: number) {
    fail('stock');
    return super.sell(optionId, quantity);
  }
}
@Injectable()
class FaultyCoupons extends CouponRepository {
  // After the Redis claim was taken: the compensation must give it back.
  override async markUsed(userId: number, userCouponId: number, orderId: number) {
    fail('coupon');
    return super.markUsed(userId, userCouponId, orderId);
  }
}
@Injectable()
class FaultyBalances extends BalanceRepository {
  // After the debit and its log were written: the rollback must undo both.
  override async debitForOrder(userId: number, amount: number, orderId: number) {
    const balance = await super.debitForOrder(userId, amount, orderId);
    fail('balance');
    return balance;
  }
}
@Injectable()
class FaultyPayments extends PaymentRepository {
  override async insertCompleted(orderId: number, userId: number, amount: number) {
    fail('payment-row');
    return super.insertCompleted(orderId, userId, amount);
  }
}
@Injectable()
class FaultyOutbox extends OutboxWriter {
  override async add(event: object, aggregateId: number) {
    if (event instanceof OrderProcessedEvent) fail('outbox');
    return super.add(event, aggregateId);
  }
}

describe('payment failures leave no trace (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ORDER_SWEEP_INTERVAL_MS: '0' },
      override: (b) =>
        b
          .overrideProvider(StockStore).useClass(FaultyStock)
          .overrideProvider(CouponStore).useClass(FaultyCoupons)
          .overrideProvider(BalanceStore).useClass(FaultyBalances)
          .overrideProvider(PaymentStore).useClass(FaultyPayments)
          .overrideProvider(OutboxWriter).useClass(FaultyOutbox),
    });
    s = shop(t);
  });
  afterEach(() => faults.clear());
  afterAll(() => t.close());

  it.each(['stock', 'coupon', 'balance', 'payment-row', 'outbox'])(
    'a failure in the %s step leaves stock, coupon (Postgres and Redis), balance and order as before',
    async (step) => {
      const userId = 100 + ['stock', 'coupon', 'balance', 'payment-row', 'outbox'].indexOf(step);
      const p = await s.product(10_000, [5, 5]);
      await s.charge(userId, 50_000);
      const userCouponId = await s.issue(userId, (await s.coupon({ discountType: 'FIXED', discountValue: 3_000 })).id);
      const order = (await s.order(userId, [
        { productOptionId: p.options[0].id, quantity: 2 },
        { productOptionId: p.options[1].id, quantity: 1 },
      ], userCouponId).expect(201)).body;
      const before = await s.state(userId, order.id);

      faults.add(step);
      const res = await s.pay(userId, order.id).expect(500);
      expect(res.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR' });
      expect(await s.state(userId, order.id)).toEqual(before);
      expect(before).toMatchObject({ order: { status: 'PENDING' }, coupon: 'AVAILABLE', couponClaim: null, balance: 50_000, payments: 0, outbox: [] });

      faults.clear();
      await s.pay(userId, order.id).expect(201);
      expect(await s.state(userId, order.id)).toMatchObject({
        order: { status: 'PAID', paid: true },
        coupon: 'USED',
        balance: 50_000 - 27_000,
        payments: 1,
        options: [expect.objectContaining({ onHand: 3, reserved: 0 }), expect.objectContaining({ onHand: 4, reserved: 0 })],
      });
    },
  );
});

describe('the database guard alone, with the Redis lock switched off (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    // As if every lock had expired mid-flight: nothing but Postgres stands between duplicates.
    const noLock = { acquire: async () => ({}), release: async () => undefined };
    t = await createTestApp({ env: { ORDER_SWEEP_INTERVAL_MS: '0' }, override: (b) => b.overrideProvider(PaymentLock).useValue(noLock) });
    s = shop(t);
  });
  afterAll(() => t.close());

  it('20 simultaneous payments of one order still pay it exactly once', async () => {
    const p = await s.product(4_000, [5]);
    await s.charge(200, 40_000);
    const order = (await s.order(200, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const responses = await concurrently(20, () => s.pay(200, order.id));
    expect(countBy(responses, (r) => `${r.status} ${r.body.code ?? 'PAID'}`)).toEqual({ '201 PAID': 1, '409 ORDER_NOT_PAYABLE': 19 });
    expect(await s.state(200, order.id)).toMatchObject({ balance: 36_000, payments: 1, logs: [{ type: 'USE', amount: 4_000 }] });
  });
});
