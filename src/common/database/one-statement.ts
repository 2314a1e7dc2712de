/**
 * A write of several modules as ONE statement with no transaction block around it, so that no
 * connection sits idle in a transaction between round trips (issue 21): each module adds its part,
 * a CTE over its own tables, with the check that must hold, and Postgres commits all or nothing.
 * A failed check raises inside the statement (`shop_check`, migration OneStatementCheck1764800000000),
 * so nothing of it is written. Guarded parts run first, in the order they are added, which is the
 * order their rows are locked in; parts added with `then` read the one-row CTE `checked` and so
 * write only once every check has held. Run it with `UnitOfWork.runAsOneStatement`.
 */
export class OneStatement {
  readonly values: unknown[] = [];
  private readonly guarded: { name: string; sql: string | null; check: string | null }[] = [];
  private readonly following: { name: string; sql: string }[] = [];
  private readonly committedHooks: (() => void)[] = [];
  private result: string | null = null;

  /** The placeholder of a parameter, cast to `type` (Postgres cannot infer it inside every CTE). */
  param(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  /** A part that locks and writes; `check`, a boolean SQL expression over it, must hold for anything to commit. */
  guard(name: string, sql: string, check: string | null = null): void {
    this.guarded.push({ name: this.fresh(name), sql, check });
  }

  /** A check with no part of its own (a condition on earlier parts), in order with the guarded parts' checks. */
  check(name: string, condition: string): void {
    this.guarded.push({ name: this.fresh(name), sql: null, check: condition });
  }

  /** A part that writes only once every check held: its SQL reads `checked` (one row). `returning`: its rows are the statement's answer. */
  then(name: string, sql: string, { returning = false }: { returning?: boolean } = {}): void {
    if (returning && this.result) throw new Error(`one statement answers with one part: ${this.result} already does`);
    this.following.push({ name: this.fresh(name), sql });
    if (returning) this.result = name;
  }

  /** Runs once the statement committed (a metric that counts only what committed). */
  afterCommit(hook: () => void): void {
    this.committedHooks.push(hook);
  }

  text(): string {
    if (!this.result) throw new Error('one statement needs a part that answers (then … returning)');
    const checks = this.guarded.filter((p) => p.check !== null).map((p, i) => `shop_check(${p.check}, '${p.name}') AS c${i}`);
    const parts = [
      ...this.guarded.filter((p) => p.sql !== null).map((p) => `${p.name} AS (${p.sql})`),
      // Its columns are evaluated left to right, each pulling its part: the parts lock in the order they were added.
      `checked AS (SELECT ${checks.length > 0 ? checks.join(', ') : 'true AS c0'})`,
      ...this.following.map((p) => `${p.name} AS (${p.sql})`),
    ];
    return `WITH ${parts.join(',\n')}\nSELECT * FROM ${this.result}`;
  }

  committed(): void {
    for (const hook of this.committedHooks) hook();
  }

  private fresh(name: string): string {
    if (!/^[a-z_]+$/.test(name) || name === 'checked') throw new Error(`one statement part name ${name}: lower-case letters and _ only, not "checked"`);
    if ([...this.guarded, ...this.following].some((p) => p.name === name)) throw new Error(`one statement has a part ${name} already`);
    return name;
  }
}

/** The SQLSTATE `shop_check` raises: a part's check failed and nothing was written. */
export const ONE_STATEMENT_CHECK_FAILED = 'SHOP1';
