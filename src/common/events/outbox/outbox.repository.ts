import { Injectable } from '@nestjs/common';
import { Sql } from '../../database/sql';
import type { HandledPairs } from './outbox-consumers';

export type OutboxStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

/** GET /admin/outbox counts matching rows up to here; more reads as "at least this many". */
export const OUTBOX_COUNT_CAP = 10_000;

/** A row as one relay claimed it: its id and the attempt that claim counted. */
export type Claim = Pick<ClaimedEvent, 'id' | 'attempts'>;

export interface ClaimedEvent {
  id: number;
  eventId: string;
  eventType: string;
  consumer: string;
  aggregateId: number;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface OutboxRow extends Omit<ClaimedEvent, 'payload'> {
  status: OutboxStatus;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const ROW = `id, event_id AS "eventId", event_type AS "eventType", consumer, aggregate_id AS "aggregateId", status, attempts,
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt"`;

@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Takes up to `limit` due rows of the pairs this instance handles, in one statement, and
   * leases them: they are invisible to other relays for `leaseMs`, and no row lock is held while
   * they are delivered. A relay that dies mid-delivery simply lets the lease run out, and the
   * row is delivered again. The lease is its own column (in no index), so that claiming a row
   * is an in-place update.
   *
   * A row of an `ordered` consumer is due only when no earlier row of its aggregate for that
   * consumer is undelivered (the outbox_events_undelivered_by_aggregate index answers that).
   * Ids follow commit order per aggregate, because the transactions that write one aggregate's
   * events are serialised by its row lock. An earlier row that is leased or backing off is
   * still PENDING, so at most one row per aggregate is ever out; SKIP LOCKED keeps relays apart.
   */
  async claimDue(limit: number, leaseMs: number, handled: HandledPairs, ordered: string[]): Promise<ClaimedEvent[]> {
    return this.sql.rows<ClaimedEvent>(
      `WITH due AS (
         SELECT o.id FROM outbox_events o
         WHERE o.status = 'PENDING' AND o.next_attempt_at <= now() AND (o.leased_until IS NULL OR o.leased_until <= now())
           AND EXISTS (SELECT FROM unnest($3::varchar[], $4::varchar[]) AS h(consumer, event_type)
                       WHERE h.consumer = o.consumer AND h.event_type = o.event_type)
           AND NOT (o.consumer = ANY($5::varchar[]) AND EXISTS (
             SELECT FROM outbox_events e
             WHERE e.consumer = o.consumer AND e.aggregate_id = o.aggregate_id AND e.id < o.id AND e.status <> 'DELIVERED'))
         ORDER BY o.next_attempt_at, o.id LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE outbox_events o SET attempts = o.attempts + 1, leased_until = now() + make_interval(secs => $2 / 1000.0)
       FROM due WHERE o.id = due.id
       RETURNING o.id, o.event_id AS "eventId", o.event_type AS "eventType", o.consumer, o.aggregate_id AS "aggregateId", o.payload, o.attempts`,
      [limit, leaseMs, handled.consumers, handled.eventTypes, ordered],
    );
  }

  /*
   * The three writes of a relay that claimed rows are fenced by the claim (its `attempts`): a
   * relay whose lease ran out while it delivered changes nothing that another relay has since
   * claimed again, delivered or dead-lettered.
   */
  async markDelivered(claims: Claim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.sql.rows(
      `UPDATE outbox_events o SET status = 'DELIVERED', delivered_at = now(), last_error = NULL, leased_until = NULL
       FROM unnest($1::bigint[], $2::int[]) AS c (id, attempts)
       WHERE o.id = c.id AND o.attempts = c.attempts AND o.status = 'PENDING'`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts)],
    );
  }

  async reschedule(claim: Claim, delayMs: number, error: string): Promise<void> {
    await this.sql.rows(
      `UPDATE outbox_events SET next_attempt_at = now() + make_interval(secs => $3 / 1000.0), leased_until = NULL, last_error = $4
       WHERE id = $1 AND attempts = $2 AND status = 'PENDING'`,
      [claim.id, claim.attempts, delayMs, error.slice(0, 2_000)],
    );
  }

  /** False when the claim was overtaken (the row is no longer this relay's to dead-letter). */
  async markDead(claim: Claim, error: string): Promise<boolean> {
    const rows = await this.sql.rows(`UPDATE outbox_events SET status = 'DEAD', last_error = $3 WHERE id = $1 AND attempts = $2 AND status = 'PENDING' RETURNING 1`, [
      claim.id,
      claim.attempts,
      error.slice(0, 2_000),
    ]);
    return rows.length > 0;
  }

  /** Deletes up to `limit` DELIVERED rows older than their consumer's retention; returns how many. */
  async purgeDelivered(keepDays: { default: number } & Record<string, number>, limit: number): Promise<number> {
    const consumers = Object.keys(keepDays).filter((c) => c !== 'default');
    const rows = await this.sql.rows(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT o.id FROM outbox_events o
         LEFT JOIN unnest($1::varchar[], $2::int[]) AS k(consumer, days) ON k.consumer = o.consumer
         WHERE o.status = 'DELIVERED' AND o.delivered_at < now() - make_interval(days => COALESCE(k.days, $3))
         LIMIT $4)
       RETURNING id`,
      [consumers, consumers.map((c) => keepDays[c]), keepDays.default, limit],
    );
    return rows.length;
  }

  /**
   * One page, newest first, and how many rows match, counted up to OUTBOX_COUNT_CAP only: the
   * table holds every delivered event of the retention window, and a full count per page
   * would scan all of it.
   */
  async list(status: OutboxStatus | undefined, page: number, size: number): Promise<{ items: OutboxRow[]; total: number; totalCapped: boolean }> {
    const [items, [{ counted }]] = await Promise.all([
      this.sql.rows<OutboxRow>(`SELECT ${ROW} FROM outbox_events WHERE ($1::varchar IS NULL OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3`, [
        status ?? null,
        size,
        (page - 1) * size,
      ]),
      this.sql.rows<{ counted: number }>(
        `SELECT count(*)::int AS counted FROM (SELECT 1 FROM outbox_events WHERE ($1::varchar IS NULL OR status = $1) LIMIT $2) AS capped`,
        [status ?? null, OUTBOX_COUNT_CAP + 1],
      ),
    ]);
    return { items, total: Math.min(counted, OUTBOX_COUNT_CAP), totalCapped: counted > OUTBOX_COUNT_CAP };
  }

  /** DEAD → PENDING with a fresh budget of attempts, due now; null when the row is not DEAD. */
  async revive(id: number): Promise<OutboxRow | null> {
    return this.sql.one<OutboxRow>(
      `UPDATE outbox_events SET status = 'PENDING', attempts = 0, next_attempt_at = now(), leased_until = NULL WHERE id = $1 AND status = 'DEAD' RETURNING ${ROW}`,
      [id],
    );
  }

  async find(id: number): Promise<OutboxRow | null> {
    return this.sql.one<OutboxRow>(`SELECT ${ROW} FROM outbox_events WHERE id = $1`, [id]);
  }
}
