import { ValidationFailedError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, pageOf } from './cursor';

describe('cursor', () => {
  it('round-trips an id', () => {
    expect(decodeCursor(encodeCursor(12345))).toBe(12345);
  });

  it.each(['', 'garbage', 'aWQ6NQ\n', 'aWQ6 NQ', Buffer.from('id:0').toString('base64url'), Buffer.from('id:-3').toString('base64url'), Buffer.from('id:1e3').toString('base64url')])(
    'refuses %p',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(ValidationFailedError);
    },
  );

  it('gives a next cursor only when a row beyond the page exists', () => {
    const rows = [{ id: 9 }, { id: 7 }, { id: 4 }];
    expect(pageOf(rows, 2)).toEqual({ items: [{ id: 9 }, { id: 7 }], nextCursor: encodeCursor(7) });
    expect(pageOf(rows, 3)).toEqual({ items: rows, nextCursor: null });
  });
});
