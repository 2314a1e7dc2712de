import { ValidationFailedError } from '../../common/errors/domain-error';
import { assertCouponTerms, effectiveStatus } from './coupon';

const now = new Date('2026-11-21T12:00:00Z');
const terms = { name: 'x', discountType: 'RATE' as const, discountValue: 10, totalQuantity: 10, expiresAt: null };

describe('coupon terms', () => {
  it('accepts valid terms with or without an expiry in the future', () => {
    expect(() => assertCouponTerms(terms, now)).not.toThrow();
    expect(() => assertCouponTerms({ ...terms, expiresAt: new Date('2026-11-22T00:00:00Z') }, now)).not.toThrow();
  });

  it.each([
    { totalQuantity: 0 },
    { totalQuantity: 10_000_001 },
    { expiresAt: new Date('2026-11-21T12:00:00Z') },
    { discountType: 'RATE' as const, discountValue: 101 },
  ])('refuses %p', (override) => {
    expect(() => assertCouponTerms({ ...terms, ...override }, now)).toThrow(ValidationFailedError);
  });
});

describe('effectiveStatus', () => {
  it('shows an unused coupon past its expiry as EXPIRED, and a used one as USED', () => {
    const past = new Date('2026-11-20T00:00:00Z');
    expect(effectiveStatus('AVAILABLE', past, now)).toBe('EXPIRED');
    expect(effectiveStatus('USED', past, now)).toBe('USED');
    expect(effectiveStatus('AVAILABLE', null, now)).toBe('AVAILABLE');
  });

  it('shows a coupon held by a card payment in flight as not used yet: AVAILABLE, or EXPIRED past its expiry', () => {
    expect(effectiveStatus('HELD', null, now)).toBe('AVAILABLE');
    expect(effectiveStatus('HELD', new Date('2026-11-20T00:00:00Z'), now)).toBe('EXPIRED');
  });
});
