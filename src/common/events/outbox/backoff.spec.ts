import { backoffMs } from './backoff';

describe('backoffMs', () => {
  it('starts at the base and doubles', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1_000, 300_000))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('is capped (at 5 minutes by default config)', () => {
    expect(backoffMs(10, 1_000, 300_000)).toBe(300_000);
    expect(backoffMs(60, 1_000, 300_000)).toBe(300_000);
  });

  it('rides out a receiver down for over 15 minutes within the default 12 attempts', () => {
    const waited = Array.from({ length: 11 }, (_, i) => backoffMs(i + 1, 1_000, 300_000)).reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThan(15 * 60_000);
  });
});
