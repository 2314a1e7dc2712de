import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../src/common/database/unit-of-work';
import { SyncEventPublisher } from '../src/common/events/sync-event-publisher';
import { IdempotencyKeyRepository } from '../src/common/http/idempotency/idempotency-key.repository';
import { PaymentLock } from '../src/payment/infrastructure/payment-lock';
import { shop } from './support/shop';
import { createTestApp, TestApp } from './support/test-app';

/** What happened, in order, during one request. */
const steps: string[] = [];

@Injectable()
class RecordingLock extends PaymentLock {
  override async acquire(orderId: number) {
    const lock = await super.acquire(orderId);
    steps.push('lock');
    return lock;
  }

  override async release(...args: Parameters<PaymentLock['release']>) {
    await super.release(...args);
    steps.push('release');
  }
}

@Injectable()
class RecordingUnitOfWork extends UnitOfWork {
  override async run<T>(work: () => Promise<T>): Promise<T> {
    steps.push('begin');
    try {
      const result = await super.run(work);
      steps.push('commit');
      return result;
    } catch (error) {
      steps.push('rollback');
      throw error;
    }
  }
}

@Injectable()
class RecordingPublisher extends SyncEventPublisher {
  override async publish(name: string, payload: object) {
    await super.publish(name, payload);
    if (name.endsWith('.fail')) steps.push('compensation');
  }
}

@Injectable()
class RecordingKeys extends IdempotencyKeyRepository {
  override async tryClaim(...args: Parameters<IdempotencyKeyRepository['tryClaim']>) {
    const claimed = await super.tryClaim(...args);
    steps.push('key claimed');
    return claimed;
  }

  override async complete(...args: Parameters<IdempotencyKeyRepository['complete']>) {
    const stored = await super.complete(...args);
    steps.push('key stored');
    return stored;
  }
}

const core = (all: string[]) => all.filter((s) => !s.startsWith('key '));

describe('one owner per unit of work: the same sequence with and without an Idempotency-Key (e2e)', () => {
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ORDER_SWEEP_INTERVAL_MS: '0', OUTBOX_POLL_INTERVAL_MS: '0' },
      override: (b) =>
        b
          .overrideProvider(PaymentLock).useClass(RecordingLock)
          .overrideProvider(UnitOfWork).useClass(RecordingUnitOfWork)
          .overrideProvider(SyncEventPublisher).useClass(RecordingPublisher)
          .overrideProvider(IdempotencyKeyRepository).useClass(RecordingKeys),
    });
    s = shop(t);
  });
  afterAll(() => t.close());

  /** Places an order of one 1,000 won unit for `userId` and pays it, recording only the payment. */
  async function payRecorded(userId: number, status: number, key?: string): Promise<string[]> {
    const p = await s.product(1_000, [5]);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    steps.length = 0;
    await s.pay(userId, order.id, key ? { 'Idempotency-Key': key } : {}).expect(status);
    return [...steps];
  }

  it('a payment: lock → begin → commit → release, the key claimed and stored inside the transaction', async () => {
    await s.charge(1, 1_000);
    await s.charge(2, 1_000);
    const plain = await payRecorded(1, 201);
    const keyed = await payRecorded(2, 201, 'pay-1');

    expect(plain).toEqual(['lock', 'begin', 'commit', 'release']);
    expect(core(keyed)).toEqual(plain);
    expect(keyed).toEqual(['lock', 'begin', 'key claimed', 'key stored', 'commit', 'release']);
  });

  it('a refused payment: lock → begin → rollback → compensation → release, the refusal stored once the lock is released', async () => {
    const plain = await payRecorded(3, 402);
    const keyed = await payRecorded(4, 402, 'pay-2');

    expect(plain).toEqual(['lock', 'begin', 'rollback', 'compensation', 'release']);
    expect(core(keyed)).toEqual(plain);
    expect(keyed).toEqual(['lock', 'begin', 'key claimed', 'rollback', 'compensation', 'release', 'key stored']);
  });

  it('a balance charge opens the same kind of unit of work, the key inside it', async () => {
    steps.length = 0;
    await s.charge(5, 100);
    const plain = [...steps];
    steps.length = 0;
    await t.http().post('/me/balance/charge').set({ Authorization: `Bearer ${t.token(5)}`, 'Idempotency-Key': 'charge-1' }).send({ amount: 100 }).expect(200);
    expect(plain).toEqual(['begin', 'commit']);
    expect(steps).toEqual(['begin', 'key claimed', 'key stored', 'commit']);
  });
});
