import { parseInt8 } from './pg-int8';

describe('parseInt8', () => {
  it('converts int8 text within the safe range', () => {
    expect(parseInt8('0')).toBe(0);
    expect(parseInt8('-42')).toBe(-42);
    expect(parseInt8('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a value a JS number cannot hold exactly', () => {
    expect(() => parseInt8('9007199254740993')).toThrow(RangeError);
  });
});
