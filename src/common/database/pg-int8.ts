import { types } from 'pg';

/**
 * Postgres returns int8 (bigint ids, won amounts, COUNT(*)) as strings. This is the one place
 * they become numbers, and it refuses any value a JS number cannot hold exactly: a wrong
 * amount is worse than a failed request.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}

export function installInt8Parser(): void {
  types.setTypeParser(types.builtins.INT8, parseInt8);
}
