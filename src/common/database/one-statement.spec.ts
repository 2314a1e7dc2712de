import { OneStatement } from './one-statement';

describe('OneStatement', () => {
  it('writes the guarded parts first, in order, then `checked` with each check in order, then the parts that follow', () => {
    const s = new OneStatement();
    s.guard('a_part', `UPDATE a SET n = ${s.param(1, 'int')} RETURNING id`, '(SELECT count(*) FROM a_part) = 1');
    s.guard('b_log', 'INSERT INTO b SELECT id FROM a_part');
    s.guard('c_part', `UPDATE c SET n = ${s.param('x', 'text')} RETURNING id`, 'EXISTS (SELECT 1 FROM c_part)');
    s.then('d_row', 'INSERT INTO d SELECT 1 FROM checked RETURNING id', { returning: true });
    s.then('e_rows', 'INSERT INTO e SELECT id FROM d_row');

    expect(s.values).toEqual([1, 'x']);
    expect(s.text()).toBe(
      [
        'WITH a_part AS (UPDATE a SET n = $1::int RETURNING id)',
        'b_log AS (INSERT INTO b SELECT id FROM a_part)',
        'c_part AS (UPDATE c SET n = $2::text RETURNING id)',
        "checked AS (SELECT shop_check((SELECT count(*) FROM a_part) = 1, 'a_part') AS c0, shop_check(EXISTS (SELECT 1 FROM c_part), 'c_part') AS c1)",
        'd_row AS (INSERT INTO d SELECT 1 FROM checked RETURNING id)',
        'e_rows AS (INSERT INTO e SELECT id FROM d_row)',
        'SELECT * FROM d_row',
      ].join(',\n').replace(',\nSELECT', '\nSELECT'),
    );
  });

  it('writes a check with no part of its own among the guarded parts\' checks, in the order it was added, and no CTE for it', () => {
    const s = new OneStatement();
    s.guard('a_part', 'UPDATE a SET n = 1 RETURNING id, m', '(SELECT count(*) FROM a_part) = 1');
    s.check('a_without_m', '(SELECT m FROM a_part) IS NULL');
    s.guard('b_part', 'UPDATE b SET n = 1 RETURNING id', 'EXISTS (SELECT 1 FROM b_part)');
    s.then('c_row', 'SELECT 1 FROM checked', { returning: true });

    expect(s.text()).toBe(
      [
        'WITH a_part AS (UPDATE a SET n = 1 RETURNING id, m)',
        'b_part AS (UPDATE b SET n = 1 RETURNING id)',
        "checked AS (SELECT shop_check((SELECT count(*) FROM a_part) = 1, 'a_part') AS c0, shop_check((SELECT m FROM a_part) IS NULL, 'a_without_m') AS c1, shop_check(EXISTS (SELECT 1 FROM b_part), 'b_part') AS c2)",
        'c_row AS (SELECT 1 FROM checked)',
        'SELECT * FROM c_row',
      ].join(',\n').replace(',\nSELECT', '\nSELECT'),
    );
    expect(() => s.check('a_part', 'true')).toThrow(/has a part a_part already/);
  });

  it('refuses a statement nothing answers, two answering parts, a name taken twice, and names that are not plain', () => {
    const s = new OneStatement();
    s.guard('a', 'SELECT 1', 'true');
    expect(() => s.text()).toThrow(/needs a part that answers/);
    s.then('b', 'SELECT 1', { returning: true });
    expect(() => s.then('c', 'SELECT 1', { returning: true })).toThrow(/answers with one part/);
    expect(() => s.guard('a', 'SELECT 1')).toThrow(/has a part a already/);
    expect(() => s.guard('checked', 'SELECT 1')).toThrow(/not "checked"/);
    expect(() => s.guard('x; DROP', 'SELECT 1')).toThrow(/lower-case letters/);
  });

  it('runs its after-commit hooks only when told it committed', () => {
    const s = new OneStatement();
    const seen: string[] = [];
    s.afterCommit(() => seen.push('metric'));
    expect(seen).toEqual([]);
    s.committed();
    expect(seen).toEqual(['metric']);
  });
});
