import { ValidationFailedError } from '../errors/domain-error';

/**
 * Keyset cursors: the client gets an opaque token for "rows with a smaller id than this", which
 * stays correct while new rows are added at the head (an offset would skip or repeat rows).
 */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  // Node's decoder skips characters outside the alphabet: checked first, so that only what we issued decodes.
  const match = /^[A-Za-z0-9_-]+$/.test(cursor) ? /^id:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  const id = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(id)) throw new ValidationFailedError('Validation failed', ['cursor is not a cursor this API returned']);
  return id;
}

/** Fetch `limit + 1` rows, then call this: the extra row only says whether a next page exists. */
export function pageOf<T extends { id: number }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
}
