import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';
import { Reconciliation, ReconciliationStore } from '../application/ports/reconciliation-store.port';

const COLUMNS = `id, window_from AS "from", window_to AS "to", gateway_transactions AS "gatewayTransactions", matched,
  matched_amount AS "matchedAmount", mismatches, created_at AS "createdAt"`;

@Injectable()
export class ReconciliationRepository implements ReconciliationStore {
  constructor(private readonly sql: Sql) {}

  insert(run: Omit<Reconciliation, 'id' | 'createdAt'>, scheduledFor: string | null): Promise<Reconciliation | null> {
    return this.sql.one<Reconciliation>(
      `INSERT INTO reconciliations (window_from, window_to, scheduled_for, gateway_transactions, matched, matched_amount, mismatches)
       VALUES ($1, $2, $3::date, $4, $5, $6, $7::jsonb) ON CONFLICT (scheduled_for) DO NOTHING RETURNING ${COLUMNS}`,
      [run.from, run.to, scheduledFor, run.gatewayTransactions, run.matched, run.matchedAmount, JSON.stringify(run.mismatches)],
    );
  }

  find(id: number): Promise<Reconciliation | null> {
    return this.sql.one<Reconciliation>(`SELECT ${COLUMNS} FROM reconciliations WHERE id = $1`, [id]);
  }

  async isScheduledDone(day: string): Promise<boolean> {
    return (await this.sql.one(`SELECT 1 FROM reconciliations WHERE scheduled_for = $1::date`, [day])) !== null;
  }

  async chargesCancelledBefore(paymentKeys: string[]): Promise<Set<string>> {
    if (paymentKeys.length === 0) return new Set();
    const rows = await this.sql.rows<{ paymentKey: string }>(
      `SELECT DISTINCT m->>'paymentKey' AS "paymentKey" FROM reconciliations, jsonb_array_elements(mismatches) m
       WHERE m->>'kind' = 'CHARGE_WITHOUT_PAYMENT' AND m->>'action' = 'CANCELLED' AND m->>'paymentKey' = ANY($1::text[])`,
      [paymentKeys],
    );
    return new Set(rows.map((r) => r.paymentKey));
  }
}
