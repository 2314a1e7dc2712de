import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../database/one-statement';
import { Sql } from '../../database/sql';
import type { OutboxEventClass } from './on-outbox-event.decorator';
import { OutboxConsumers } from './outbox-consumers';

export interface OutboxEntry {
  /** An instance of an after-commit event class: its class's NAME is the event type. */
  event: object;
  /** The id of the entity the event is about: relays and readers select by it, and order each one's events. */
  aggregateId: number;
}

export interface OutboxAddOptions {
  /**
   * Not delivered before this many ms: the event is a fallback for work the caller attempts
   * itself right after commit (and marks done with `markDone` when that succeeds).
   */
  delayMs?: number;
}

/**
 * Records after-commit events in the caller's transaction: one row per event and consumer,
 * existing if and only if the state change it describes committed, so a crash can neither
 * lose an event nor invent one. All rows of one event share its eventId.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly sql: Sql,
    private readonly consumers: OutboxConsumers,
  ) {}

  async add(event: object, aggregateId: number, options: OutboxAddOptions = {}): Promise<string> {
    const [eventId] = await this.addMany([{ event, aggregateId }], options);
    return eventId;
  }

  /** The work an event stands for was done by its writer itself: its rows are delivered, nobody else does it again. */
  async markDone(eventId: string): Promise<void> {
    await this.sql.rows(`UPDATE outbox_events SET status = 'DELIVERED', delivered_at = now() WHERE event_id = $1 AND status = 'PENDING'`, [eventId]);
  }

  /** One statement for a whole batch (an expiry sweep writes hundreds at once). */
  async addMany(entries: OutboxEntry[], { delayMs = 0 }: OutboxAddOptions = {}): Promise<string[]> {
    const { eventIds, rows } = this.rowsOf(entries);
    if (rows.length === 0) return eventIds;
    await this.sql.rows(
      `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, next_attempt_at)
       SELECT *, now() + make_interval(secs => $6 / 1000.0) FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::bigint[], $5::jsonb[])`,
      [...columnsOf(rows), delayMs],
    );
    return eventIds;
  }

  /**
   * `addMany` as a part of one statement (OneStatement), written once every check held. `patch`, a
   * jsonb SQL expression merged into each payload, carries what only that statement knows (the id
   * of a row it writes).
   */
  addTo(statement: OneStatement, entries: OutboxEntry[], patch: string): string[] {
    const { eventIds, rows } = this.rowsOf(entries);
    if (rows.length === 0) return eventIds;
    const [ids, consumers, types, aggregates, payloads] = columnsOf(rows).map((column, i) => statement.param(column, UNNEST_TYPES[i]));
    statement.then(
      'outbox_written',
      `INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, next_attempt_at)
       SELECT r.event_id, r.consumer, r.event_type, r.aggregate_id, r.payload || ${patch}, now()
       FROM unnest(${ids}, ${consumers}, ${types}, ${aggregates}, ${payloads}) AS r (event_id, consumer, event_type, aggregate_id, payload), checked`,
    );
    return eventIds;
  }

  private rowsOf(entries: OutboxEntry[]): { eventIds: string[]; rows: OutboxRow[] } {
    const eventIds = entries.map(() => randomUUID());
    const rows = entries.flatMap(({ event, aggregateId }, i) => {
      const eventType = eventTypeOf(event);
      const payload = JSON.stringify({ ...event, eventId: eventIds[i] });
      return this.consumers.consumersOf(eventType).map((consumer) => ({ eventId: eventIds[i], consumer, eventType, aggregateId, payload }));
    });
    return { eventIds, rows };
  }
}

interface OutboxRow {
  eventId: string;
  consumer: string;
  eventType: string;
  aggregateId: number;
  payload: string;
}

const UNNEST_TYPES = ['uuid[]', 'varchar[]', 'varchar[]', 'bigint[]', 'jsonb[]'];

function columnsOf(rows: OutboxRow[]): unknown[][] {
  return [rows.map((r) => r.eventId), rows.map((r) => r.consumer), rows.map((r) => r.eventType), rows.map((r) => r.aggregateId), rows.map((r) => r.payload)];
}

function eventTypeOf(event: object): string {
  const name = (event.constructor as Partial<OutboxEventClass>).NAME;
  if (typeof name !== 'string') throw new Error(`${event.constructor.name} is not an outbox event class (no static NAME)`);
  return name;
}
