import { canonicalJson, requestFingerprint } from './fingerprint';

describe('requestFingerprint', () => {
  const charge = { method: 'POST', path: '/me/balance/charge', body: { amount: 100 } };

  it('is a sha256 hex digest', () => {
    expect(requestFingerprint(charge)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores the order of object keys at every depth', () => {
    const a = { items: [{ productOptionId: 1, quantity: 2 }], userCouponId: 7, meta: { x: 1, y: { p: 1, q: 2 } } };
    const b = { meta: { y: { q: 2, p: 1 }, x: 1 }, userCouponId: 7, items: [{ quantity: 2, productOptionId: 1 }] };
    expect(requestFingerprint({ ...charge, body: a })).toBe(requestFingerprint({ ...charge, body: b }));
  });

  it.each([
    ['a value', { amount: 101 }],
    ['a value type', { amount: '100' }],
    ['an extra key', { amount: 100, note: null }],
    ['no body', undefined],
  ])('changes with %s', (_, body) => {
    expect(requestFingerprint({ ...charge, body })).not.toBe(requestFingerprint(charge));
  });

  it('keeps array order, which is data', () => {
    const one = { productOptionId: 1, quantity: 1 };
    const two = { productOptionId: 2, quantity: 1 };
    expect(requestFingerprint({ ...charge, body: { items: [one, two] } })).not.toBe(requestFingerprint({ ...charge, body: { items: [two, one] } }));
  });

  it('changes with the path, the query string and the method', () => {
    const base = requestFingerprint(charge);
    expect(requestFingerprint({ ...charge, path: '/orders' })).not.toBe(base);
    expect(requestFingerprint({ ...charge, path: '/me/balance/charge?x=1' })).not.toBe(base);
    expect(requestFingerprint({ ...charge, method: 'PUT' })).not.toBe(base);
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively and stays valid JSON with the same meaning', () => {
    const value = { b: [{ d: 1, c: 'x' }, null], a: { '10': true, '9': false } };
    const text = canonicalJson(value);
    expect(text).toBe('{"a":{"10":true,"9":false},"b":[{"c":"x","d":1},null]}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
