import { CouponGateSync } from '../../src/coupon/application/coupon-gate-sync';
import { concurrently, countBy } from '../support/http';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** This file flushes Redis, so it gets a Redis db of its own. */
const REDIS_DB = 7;

describe('coupons (e2e)', () => {
  let t: TestApp;
  const admin = () => bearer(t.token(900, 'admin'));
  const createCoupon = async (body: Record<string, unknown>) =>
    (await t.http().post('/admin/coupons').set(admin()).send({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 10, ...body }).expect(201)).body;
  const issue = (userId: number, couponId: number) => t.http().post(`/coupons/${couponId}/issue`).set(bearer(t.token(userId)));
  const issuedInPostgres = async (couponId: number) => {
    const [row] = await t.db.query('SELECT issued_quantity AS n, (SELECT COUNT(*) FROM user_coupons WHERE coupon_id = $1) AS holders FROM coupons WHERE id = $1', [couponId]);
    return { issued: row.n, holders: row.holders };
  };

  beforeAll(async () => {
    t = await createTestApp({ redisDb: REDIS_DB });
  });
  afterAll(() => t.close());

  it('creates a campaign and reads it back with issuedQuantity from Postgres', async () => {
    const coupon = await createCoupon({ name: 'Winter 5000', discountType: 'FIXED', discountValue: 5_000, totalQuantity: 3, expiresAt: '2099-01-01T00:00:00Z' });
    expect(coupon).toEqual({ id: expect.any(Number), name: 'Winter 5000', discountType: 'FIXED', discountValue: 5_000, totalQuantity: 3, issuedQuantity: 0, expiresAt: '2099-01-01T00:00:00.000Z' });
    await issue(1, coupon.id).expect(201);
    await t.http().get(`/admin/coupons/${coupon.id}`).set(admin()).expect(200, { ...coupon, issuedQuantity: 1 });
    const missing = await t.http().get('/admin/coupons/999999').set(admin()).expect(404);
    expect(missing.body.code).toBe('COUPON_NOT_FOUND');
  });

  it.each([
    ['FIXED value 0', { discountType: 'FIXED', discountValue: 0 }],
    ['FIXED value above 100,000,000', { discountType: 'FIXED', discountValue: 100_000_001 }],
    ['RATE above 100', { discountType: 'RATE', discountValue: 101 }],
    ['RATE fractional', { discountType: 'RATE', discountValue: 12.5 }],
    ['an unknown discount type', { discountType: 'PERCENT' }],
    ['totalQuantity 0', { totalQuantity: 0 }],
    ['totalQuantity above 10,000,000', { totalQuantity: 10_000_001 }],
    ['totalQuantity as a string', { totalQuantity: '10' }],
    ['expiresAt in the past', { expiresAt: '2020-01-01T00:00:00Z' }],
    ['expiresAt not a timestamp', { expiresAt: 'tomorrow' }],
    ['an empty name', { name: '   ' }],
    ['an unknown property', { maxPerUser: 2 }],
  ])('refuses a campaign with %s: 400 VALIDATION_FAILED', async (_, override) => {
    const res = await t.http().post('/admin/coupons').set(admin()).send({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 10, ...override }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('keeps campaign admin routes for admins', async () => {
    await t.http().post('/admin/coupons').set(bearer(t.token(1))).send({ name: 'c', discountType: 'RATE', discountValue: 10, totalQuantity: 1 }).expect(403);
    await t.http().get('/admin/coupons/1').set(bearer(t.token(1))).expect(403);
    await t.http().post('/coupons/1/issue').expect(401);
  });

  it('100 distinct users racing for 10 coupons: exactly 10 issued, 90 COUPON_SOLD_OUT', async () => {
    const coupon = await createCoupon({ totalQuantity: 10 });
    const responses = await concurrently(100, (i) => issue(10_000 + i, coupon.id));
    expect(countBy(responses, (r) => `${r.status} ${r.body.code ?? r.body.status}`)).toEqual({ '201 AVAILABLE': 10, '409 COUPON_SOLD_OUT': 90 });
    expect(await issuedInPostgres(coupon.id)).toEqual({ issued: 10, holders: 10 });
    const winners = responses.filter((r) => r.status === 201);
    expect(new Set(winners.map((r) => r.body.userCouponId)).size).toBe(10);
  });

  it('one user sending 20 at once gets exactly one', async () => {
    const coupon = await createCoupon({ totalQuantity: 5 });
    const responses = await concurrently(20, () => issue(20_001, coupon.id));
    expect(countBy(responses, (r) => `${r.status} ${r.body.code ?? r.body.status}`)).toEqual({ '201 AVAILABLE': 1, '409 COUPON_ALREADY_ISSUED': 19 });
    expect(await issuedInPostgres(coupon.id)).toEqual({ issued: 1, holders: 1 });
  });

  it('after FLUSHDB a sold-out coupon stays sold out and nobody gets a second one', async () => {
    const soldOut = await createCoupon({ totalQuantity: 3 });
    const open = await createCoupon({ totalQuantity: 5 });
    for (const user of [30_001, 30_002, 30_003]) {
      await issue(user, soldOut.id).expect(201);
      await issue(user, open.id).expect(201);
    }
    await t.redis.flushdb();

    expect((await issue(30_004, soldOut.id).expect(409)).body.code).toBe('COUPON_SOLD_OUT');
    expect((await issue(30_001, soldOut.id).expect(409)).body.code).toBe('COUPON_ALREADY_ISSUED');
    expect((await issue(30_002, open.id).expect(409)).body.code).toBe('COUPON_ALREADY_ISSUED');
    expect(await issuedInPostgres(soldOut.id)).toEqual({ issued: 3, holders: 3 });

    // The two coupons still left go to exactly two of the next racers, even right after a flush.
    await t.redis.flushdb();
    const racers = await concurrently(30, (i) => issue(31_000 + i, open.id));
    expect(countBy(racers, (r) => r.status)).toEqual({ 201: 2, 409: 28 });
    expect(await issuedInPostgres(open.id)).toEqual({ issued: 5, holders: 5 });
  });

  it('reconciles a drifted gate with Postgres at start-up', async () => {
    const coupon = await createCoupon({ totalQuantity: 2 });
    await issue(40_001, coupon.id).expect(201);
    // As if the process died after the gate admitted a user but before Postgres committed.
    await t.redis.decr(`coupon:${coupon.id}:left`);
    await t.redis.sadd(`coupon:${coupon.id}:holders`, '40_002');
    expect((await issue(40_003, coupon.id).expect(409)).body.code).toBe('COUPON_SOLD_OUT');

    await t.app.get(CouponGateSync).onApplicationBootstrap();
    await issue(40_003, coupon.id).expect(201);
    expect(await issuedInPostgres(coupon.id)).toEqual({ issued: 2, holders: 2 });
  });

  it('refuses a second coupon in Postgres even when the gate forgot the holder, without counting it', async () => {
    const coupon = await createCoupon({ totalQuantity: 5 });
    await issue(45_001, coupon.id).expect(201);
    // The gate lost this holder and gave its slot back: only UNIQUE (coupon_id, user_id) remains.
    await t.redis.srem(`coupon:${coupon.id}:holders`, '45001');
    await t.redis.incr(`coupon:${coupon.id}:left`);
    expect((await issue(45_001, coupon.id).expect(409)).body.code).toBe('COUPON_ALREADY_ISSUED');
    expect(await issuedInPostgres(coupon.id)).toEqual({ issued: 1, holders: 1 });
    // The refusal resynchronised the gate from Postgres: the holder is known again.
    expect(await t.redis.sismember(`coupon:${coupon.id}:holders`, '45001')).toBe(1);
  });

  it('cannot issue an expired campaign, and shows held coupons as EXPIRED', async () => {
    const coupon = await createCoupon({ totalQuantity: 5, expiresAt: new Date(Date.now() + 1_500).toISOString() });
    await issue(50_001, coupon.id).expect(201);
    await new Promise((r) => setTimeout(r, 1_600));
    expect((await issue(50_002, coupon.id).expect(409)).body.code).toBe('COUPON_EXPIRED');
    await t.redis.flushdb();
    expect((await issue(50_002, coupon.id).expect(409)).body.code).toBe('COUPON_EXPIRED');
    const mine = await t.http().get('/me/coupons').set(bearer(t.token(50_001))).expect(200);
    expect(mine.body).toEqual([expect.objectContaining({ couponId: coupon.id, status: 'EXPIRED' })]);
  });

  it('answers 404 COUPON_NOT_FOUND for an unknown campaign', async () => {
    expect((await issue(1, 987_654).expect(404)).body.code).toBe('COUPON_NOT_FOUND');
  });

  it('lists only my own coupons, with their terms', async () => {
    const coupon = await createCoupon({ name: 'Mine', discountType: 'FIXED', discountValue: 1_000, totalQuantity: 2 });
    const issued = (await issue(60_001, coupon.id).expect(201)).body;
    expect(issued).toEqual({ userCouponId: expect.any(Number), couponId: coupon.id, status: 'AVAILABLE' });
    await t.http().get('/me/coupons').set(bearer(t.token(60_001))).expect(200, [
      { userCouponId: issued.userCouponId, couponId: coupon.id, name: 'Mine', discountType: 'FIXED', discountValue: 1_000, status: 'AVAILABLE', expiresAt: null },
    ]);
    await t.http().get('/me/coupons').set(bearer(t.token(60_002))).expect(200, []);
  });
});
