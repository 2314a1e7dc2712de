import { StatementNames } from './statement-names';

describe('StatementNames', () => {
  it('gives one text one name, every time, and two texts two names', () => {
    const names = new StatementNames();
    const a = names.nameFor('SELECT 1 WHERE $1');
    expect(a).toMatch(/^s_[0-9a-f]{20}$/);
    expect(names.nameFor('SELECT 1 WHERE $1')).toBe(a);
    expect(names.nameFor('SELECT 2 WHERE $1')).not.toBe(a);
  });

  it('names no more than its limit of texts: the rest run unnamed, the known ones keep their names', () => {
    const names = new StatementNames(2);
    const first = names.nameFor('a');
    names.nameFor('b');
    expect(names.nameFor('c')).toBeNull();
    expect(names.nameFor('a')).toBe(first);
  });
});
