import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSafeNumber } from 'lossless-json';
import { PROTOTYPE_KEYS } from './prototype-keys';

/** API.md, Limits: JSON nested deeper than this (the body itself being the first level) is refused. */
export const MAX_JSON_DEPTH = 32;
export const MAX_BODY = '100kb';

/**
 * A JSON body refused before any code reads it. A class of its own because body-parser strips
 * every own property off an error thrown while parsing (code, status, ...; only the prototype
 * and the message survive), so toErrorBody recognises it by its class.
 */
export class RefusedJsonError extends Error {}

/** What body-parser's `verify` throws for a charset other than UTF-8; it keeps the status. */
class UnsupportedCharsetError extends Error {
  readonly status = 415;
}

/**
 * body-parser's JSON options: the one place where a body is bounded before anything walks it.
 * `verify` sees the raw bytes first: UTF-8 only (RFC 8259 §8.1; the depth scan reads bytes),
 * and no nesting beyond MAX_JSON_DEPTH, so no recursive code later (validation, class-transformer,
 * the Idempotency-Key fingerprint) can run out of stack. The reviver then refuses prototype keys
 * and any number that a JS number does not hold exactly: an id or an amount is never rounded.
 */
export function jsonBodyOptions() {
  return { limit: MAX_BODY, verify, reviver };
}

function verify(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string | null): void {
  if (encoding !== 'utf-8') throw new UnsupportedCharsetError(`unsupported charset ${encoding}`);
  if (deeperThan(body, MAX_JSON_DEPTH)) throw new RefusedJsonError(`the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/** Node passes the number's text as `context.source`: the only way to see what JSON.parse rounded away. */
function reviver(key: string, value: unknown, context?: { source?: string }): unknown {
  if (PROTOTYPE_KEYS.has(key)) throw new RefusedJsonError(`the key ${key} is not allowed`);
  if (typeof value === 'number' && context?.source !== undefined && !isSafeNumber(context.source)) {
    const source = context.source.length > 40 ? `${context.source.slice(0, 40)}…` : context.source;
    throw new RefusedJsonError(`${key} is ${source}, a number JSON cannot carry exactly here (integers must lie within ±9,007,199,254,740,991)`);
  }
  return value;
}

/**
 * Brackets outside strings, counted on the UTF-8 bytes: no byte of a multi-byte character is
 * ASCII, so a quote or bracket byte is always that character.
 */
function deeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}
