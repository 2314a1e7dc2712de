import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';

export interface IdempotencyKeyRef {
  userId: number;
  key: string;
}

/**
 * Proof of holding a key: its `locked_until` as Postgres prints it, compared back exactly. A
 * takeover only happens once a lease has run out and sets a new one, so an attempt that was
 * overtaken can no longer complete or release the key.
 */
export type Lease = string;

export interface StoredKey {
  fingerprint: string;
  status: 'IN_PROGRESS' | 'COMPLETED';
  responseStatus: number | null;
  responseBody: unknown;
  expired: boolean;
  leaseExpired: boolean;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

const LEASE = "interval '60 seconds'";
const RETENTION = "interval '24 hours'";

/** The idempotency_keys table. Every decision about time is made with the database clock. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(private readonly sql: Sql) {}

  /** Claims a key nobody holds; null when the user already has a row for it. */
  async insert({ userId, key }: IdempotencyKeyRef, fingerprint: string): Promise<Lease | null> {
    const row = await this.sql.one<{ lease: Lease }>(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, status, locked_until, expires_at)
       VALUES ($1, $2, $3, 'IN_PROGRESS', now() + ${LEASE}, now() + ${RETENTION})
       ON CONFLICT (user_id, key) DO NOTHING
       RETURNING locked_until::text AS lease`,
      [userId, key, fingerprint],
    );
    return row?.lease ?? null;
  }

  async find({ userId, key }: IdempotencyKeyRef): Promise<StoredKey | null> {
    return this.sql.one<StoredKey>(
      `SELECT fingerprint, status, response_status AS "responseStatus", response_body AS "responseBody",
              expires_at <= now() AS expired, locked_until < now() AS "leaseExpired"
       FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
  }

  async deleteIfExpired({ userId, key }: IdempotencyKeyRef): Promise<void> {
    await this.sql.rows('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND expires_at <= now()', [userId, key]);
  }

  /** Takes over a key whose holder let its lease run out; null when someone else got there first. */
  async takeOver({ userId, key }: IdempotencyKeyRef, fingerprint: string): Promise<Lease | null> {
    const row = await this.sql.one<{ lease: Lease }>(
      `UPDATE idempotency_keys SET locked_until = now() + ${LEASE}
       WHERE user_id = $1 AND key = $2 AND fingerprint = $3 AND status = 'IN_PROGRESS'
         AND locked_until < now() AND expires_at > now()
       RETURNING locked_until::text AS lease`,
      [userId, key, fingerprint],
    );
    return row?.lease ?? null;
  }

  /**
   * Stores the response to replay; false when the lease was lost (nothing changed). A body of
   * `undefined` (a route that sends none) serialises to undefined and is stored as NULL.
   */
  async complete({ userId, key }: IdempotencyKeyRef, lease: Lease, response: StoredResponse): Promise<boolean> {
    const rows = await this.sql.rows(
      `UPDATE idempotency_keys SET status = 'COMPLETED', response_status = $4, response_body = $5::jsonb
       WHERE user_id = $1 AND key = $2 AND status = 'IN_PROGRESS' AND locked_until = $3::timestamptz
       RETURNING 1`,
      [userId, key, lease, response.status, JSON.stringify(response.body) ?? null],
    );
    return rows.length > 0;
  }

  /** Frees the key so a retry runs the request again. */
  async release({ userId, key }: IdempotencyKeyRef, lease: Lease): Promise<void> {
    await this.sql.rows(
      `DELETE FROM idempotency_keys
       WHERE user_id = $1 AND key = $2 AND status = 'IN_PROGRESS' AND locked_until = $3::timestamptz`,
      [userId, key, lease],
    );
  }

  /** Deletes up to `limit` expired keys; rows another session holds are left for the next batch. */
  async purgeExpired(limit: number): Promise<number> {
    const row = await this.sql.one<{ removed: number }>(
      `WITH gone AS (
         DELETE FROM idempotency_keys WHERE (user_id, key) IN (
           SELECT user_id, key FROM idempotency_keys WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING 1)
       SELECT count(*)::int AS removed FROM gone`,
      [limit],
    );
    return row?.removed ?? 0;
  }
}
