import { Injectable } from '@nestjs/common';
import { UnitOfWork, UnitOfWorkOptions } from '../../src/common/database/unit-of-work';
import { SyncEventPublisher } from '../../src/common/events/sync-event-publisher';
import { declarationOf } from '../../src/common/events/sync-event.decorator';
import { IdempotencyKeyRepository } from '../../src/common/http/idempotency/idempotency-key.repository';
import { PaymentLock } from '../../src/payment/application/ports/payment-lock.port';
import { RedlockPaymentLock } from '../../src/payment/infrastructure/redlock-payment-lock';
import { PgSimulator } from '../../tools/pg-simulator';
import { gatewayEnv } from '../support/gateway-env';
import { shop } from '../support/shop';
import { createTestApp, TestApp } from '../support/test-app';

/** What happened, in order, during one request. */
const steps: string[] = [];

@Injectable()
class RecordingLock extends RedlockPaymentLock {
  override async acquire(orderId: number, userId: number) {
    const lock = await super.acquire(orderId, userId);
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
  override async run<T>(work: () => Promise<T>, options?: UnitOfWorkOptions<T>): Promise<T> {
    steps.push('begin');
    try {
      const result = await super.run(work, options);
      steps.push('commit');
      return result;
    } catch (error) {
      steps.push('rollback');
      throw error;
    }
  }

  override async runAsOneStatement<T>(build: Parameters<UnitOfWork['runAsOneStatement']>[0]): Promise<T | null> {
    const result = await super.runAsOneStatement<T>(build);
    steps.push(result === null ? 'no statement' : 'one statement');
    return result;
  }
}

@Injectable()
class RecordingPublisher extends SyncEventPublisher {
  override async publish(event: object) {
    await super.publish(event);
    if (declarationOf(event).delivery === 'after-rollback') steps.push('compensation');
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

describe('one owner per unit of work: the sequence with and without an Idempotency-Key (e2e)', () => {
  const pg = new PgSimulator({ secretKey: 'test_sk_sequence' });
  let t: TestApp;
  let s: ReturnType<typeof shop>;

  beforeAll(async () => {
    await pg.start();
    t = await createTestApp({
      env: { ...gatewayEnv(pg.url, 'test_sk_sequence', 2_000, 'http://127.0.0.1:9/alerts'), OUTBOX_POLL_INTERVAL_MS: '0' },
      override: (b) =>
        b
          .overrideProvider(PaymentLock).useClass(RecordingLock)
          .overrideProvider(UnitOfWork).useClass(RecordingUnitOfWork)
          .overrideProvider(SyncEventPublisher).useClass(RecordingPublisher)
          .overrideProvider(IdempotencyKeyRepository).useClass(RecordingKeys),
    });
    s = shop(t);
  });
  afterAll(async () => {
    await t.close();
    await pg.stop();
  });

  /** Places an order of one 1,000 won unit for `userId` and pays it, recording only the payment. */
  async function payRecorded(userId: number, status: number, key?: string): Promise<string[]> {
    const p = await s.product(1_000, [5]);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    steps.length = 0;
    await s.pay(userId, order.id, key ? { 'Idempotency-Key': key } : {}).expect(status);
    return [...steps];
  }

  it('a payment: lock → one statement → release; with a key, lock → begin → commit → release, the key claimed and stored inside the transaction', async () => {
    await s.charge(1, 1_000);
    await s.charge(2, 1_000);
    const plain = await payRecorded(1, 201);
    const keyed = await payRecorded(2, 201, 'pay-1');

    // The key's record must commit with the payment, which one statement of the payment's own parts cannot carry.
    expect(plain).toEqual(['lock', 'one statement', 'release']);
    expect(keyed).toEqual(['lock', 'no statement', 'begin', 'key claimed', 'key stored', 'commit', 'release']);
  });

  it('a refused payment: lock → nothing written by the statement → begin → rollback → compensation → release, the refusal stored once the lock is released', async () => {
    const plain = await payRecorded(3, 402);
    const keyed = await payRecorded(4, 402, 'pay-2');

    expect(plain).toEqual(['lock', 'no statement', 'begin', 'rollback', 'compensation', 'release']);
    expect(core(keyed)).toEqual(plain);
    expect(keyed).toEqual(['lock', 'no statement', 'begin', 'key claimed', 'rollback', 'compensation', 'release', 'key stored']);
  });

  /** The same for a card payment through the simulator, with the session's behaviour at the gateway. */
  async function payByCardRecorded(userId: number, status: number, behaviour: Parameters<PgSimulator['checkout']>[2], key?: string): Promise<string[]> {
    const p = await s.product(1_000, [5]);
    const order = (await s.order(userId, [{ productOptionId: p.options[0].id, quantity: 1 }]).expect(201)).body;
    const paymentKey = pg.checkout(`order-${order.id}`, 1_000, behaviour);
    steps.length = 0;
    await t
      .http()
      .post('/payments')
      .set({ Authorization: `Bearer ${t.token(userId)}`, ...(key ? { 'Idempotency-Key': key } : {}) })
      .send({ orderId: order.id, method: 'CARD', paymentKey })
      .expect(status);
    return [...steps];
  }

  it('a card payment: phase 1 one statement under the lock, released before the gateway is called, phase 3 one statement; with a key, each phase its own transaction, the key stored with phase 3', async () => {
    const plain = await payByCardRecorded(6, 201, { kind: 'approve' });
    const keyed = await payByCardRecorded(7, 201, { kind: 'approve' }, 'card-1');

    // The key stays claimed from phase 1 to the answer, which one statement of the payment's own parts cannot carry.
    expect(plain).toEqual(['lock', 'one statement', 'release', 'one statement']);
    expect(keyed).toEqual(['lock', 'no statement', 'begin', 'key claimed', 'commit', 'release', 'no statement', 'begin', 'key claimed', 'key stored', 'commit']);
  });

  it('a declined card payment: phase 3 gives the order back in its own transaction, the refusal stored after it', async () => {
    const plain = await payByCardRecorded(8, 402, { kind: 'decline' });
    const keyed = await payByCardRecorded(9, 402, { kind: 'decline' }, 'card-2');

    expect(plain).toEqual(['lock', 'one statement', 'release', 'begin', 'commit']);
    expect(keyed).toEqual(['lock', 'no statement', 'begin', 'key claimed', 'commit', 'release', 'begin', 'key claimed', 'commit', 'key stored']);
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
