import { lastShopDays, shopDay } from './shop-calendar';

describe('shop calendar', () => {
  it('puts 15:30 UTC on the next day in Seoul (UTC+9)', () => {
    expect(shopDay(new Date('2026-11-21T15:30:00Z'), 'Asia/Seoul')).toBe('2026-11-22');
    expect(shopDay(new Date('2026-11-21T14:59:59Z'), 'Asia/Seoul')).toBe('2026-11-21');
  });

  it('lists the last N days from today in the shop zone, across a month end', () => {
    expect(lastShopDays(new Date('2026-12-01T16:00:00Z'), 3, 'Asia/Seoul')).toEqual(['2026-12-02', '2026-12-01', '2026-11-30']);
    expect(lastShopDays(new Date('2026-03-01T01:00:00Z'), 2, 'UTC')).toEqual(['2026-03-01', '2026-02-28']);
  });
});
