import { createHash } from 'node:crypto';

export interface FingerprintedRequest {
  method: string;
  /** The path with its query string: both are part of what the client asked for. */
  path: string;
  body: unknown;
}

/**
 * JSON with object keys sorted at every depth, so two bodies that differ only in key order
 * (which JSON does not give a meaning to) produce the same text. Array order is kept: it is data.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What "the same request" means for an Idempotency-Key: sha256 hex of method, path and body. */
export function requestFingerprint({ method, path, body }: FingerprintedRequest): string {
  return createHash('sha256').update(canonicalJson({ method, path, body })).digest('hex');
}
