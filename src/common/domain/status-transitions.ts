/**
 * A status machine as a table: for each status, the statuses it may move to. The domains keep
 * theirs as data, so that the rule is unit-tested on its own and every SQL guard that moves a
 * row can be checked against it.
 */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canMove<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** The statuses a row may be in to move to `to`. */
export function movesInto<S extends string>(table: Transitions<S>, to: S): S[] {
  return (Object.keys(table) as S[]).filter((from) => table[from].includes(to));
}

/** Statuses no row ever leaves. */
export function finalStatuses<S extends string>(table: Transitions<S>): S[] {
  return (Object.keys(table) as S[]).filter((status) => table[status].length === 0);
}
