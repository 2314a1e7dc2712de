import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';

export interface IdempotencyKeyRef {
  userId: number;
  key: string;
}

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

const RETENTION = "interval '24 hours'";
const COLUMNS = `fingerprint, status, response_status AS "responseStatus", response_body AS "responseBody",
  expires_at <= now() AS expired, locked_until < now() AS "leaseExpired"`;

/**
 * The idempotency_keys table. Every decision about time is made with the database clock.
 *
 * A key is claimed by a transaction-scoped advisory lock inside the use case's transaction, so a
 * claim lives exactly as long as its holder: COMMIT, ROLLBACK, a dropped connection or a killed
 * process all release it at once. A request whose answer comes from a later transaction holds
 * its key with an IN_PROGRESS row and a lease (`locked_until`), which its answer replaces; the
 * lease only matters when the holder died.
 */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(private readonly sql: Sql) {}

  async find({ userId, key }: IdempotencyKeyRef): Promise<StoredKey | null> {
    return this.sql.one<StoredKey>(`SELECT ${COLUMNS} FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [userId, key]);
  }

  /**
   * In the caller's transaction: false when another transaction holds the key. A 64-bit hash
   * names the lock; two keys sharing a hash only make one of them wait for a retry.
   */
  async tryClaim({ userId, key }: IdempotencyKeyRef): Promise<boolean> {
    const row = await this.sql.one<{ claimed: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ':' || $2, 0)) AS claimed`, [
      userId,
      key,
    ]);
    return row?.claimed === true;
  }

  /** Removes a row that no longer binds the key: past its 24 h, or a dead earlier version's claim. */
  async deleteStale({ userId, key }: IdempotencyKeyRef): Promise<void> {
    await this.sql.rows(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2
         AND (expires_at <= now() OR (status = 'IN_PROGRESS' AND locked_until < now()))`,
      [userId, key],
    );
  }

  /**
   * Stores the response to replay, in place of this request's own hold when it held the key. A
   * body of `undefined` (a route that sends none) serialises to undefined and is stored as NULL.
   * False when another answer or another request's hold is there (nothing changed).
   */
  async complete({ userId, key }: IdempotencyKeyRef, fingerprint: string, response: StoredResponse): Promise<boolean> {
    const rows = await this.sql.rows(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, status, response_status, response_body, locked_until, expires_at)
       VALUES ($1, $2, $3, 'COMPLETED', $4, $5::jsonb, now(), now() + ${RETENTION})
       ON CONFLICT (user_id, key) DO UPDATE
         SET status = 'COMPLETED', response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body, locked_until = now()
         WHERE idempotency_keys.status = 'IN_PROGRESS' AND idempotency_keys.fingerprint = EXCLUDED.fingerprint
       RETURNING 1`,
      [userId, key, fingerprint, response.status, JSON.stringify(response.body) ?? null],
    );
    return rows.length > 0;
  }

  /**
   * Holds the key for a request whose answer comes from a later transaction: IN_PROGRESS until
   * `complete` replaces it, `release` deletes it, or `forMs` runs out (the holder died). False
   * when the key has a row already.
   */
  async hold({ userId, key }: IdempotencyKeyRef, fingerprint: string, forMs: number): Promise<boolean> {
    const rows = await this.sql.rows(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, status, locked_until, expires_at)
       VALUES ($1, $2, $3, 'IN_PROGRESS', now() + make_interval(secs => $4 / 1000.0), now() + ${RETENTION})
       ON CONFLICT (user_id, key) DO NOTHING
       RETURNING 1`,
      [userId, key, fingerprint, forMs],
    );
    return rows.length > 0;
  }

  /** Gives up this request's hold: the key is free for a retry. */
  async release({ userId, key }: IdempotencyKeyRef, fingerprint: string): Promise<void> {
    await this.sql.rows(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status = 'IN_PROGRESS' AND fingerprint = $3`, [userId, key, fingerprint]);
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
